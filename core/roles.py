"""Staff roles (Django groups) and jurisdiction: who may see and act on which case."""

from django.db.models import Q, QuerySet

INSPECTOR = "inspector"
MEDIATOR = "mediator"
ARBITRATOR = "arbitrator"
SUPERVISOR = "supervisor"
SCREEN = "screen"
ADMINISTRATOR = "administrator"
# Subsidy reviewers (used by the approval flows).
TOWNSHIP_REVIEWER = "township_reviewer"
COUNTY_REVIEWER = "county_reviewer"
FINANCE = "finance"
# The re-employment ledger (employment/): village stewards see their villages, township
# employment-station staff their township, county-level staff everything.
EMPLOYMENT_STEWARD = "employment_steward"
EMPLOYMENT_STATION = "employment_station"

ROLE_LABELS = {
    INSPECTOR: "劳动保障监察员",
    MEDIATOR: "调解员",
    ARBITRATOR: "仲裁员",
    SUPERVISOR: "主管领导",
    SCREEN: "指挥大屏",
    ADMINISTRATOR: "系统管理员",
    TOWNSHIP_REVIEWER: "乡镇审核员",
    COUNTY_REVIEWER: "县人社局审核员",
    FINANCE: "财务",
    EMPLOYMENT_STEWARD: "村就业管家",
    EMPLOYMENT_STATION: "乡镇就业服务站",
}

# Roles that handle cases at all (may read case files in their jurisdiction).
CASE_ROLES = frozenset({INSPECTOR, MEDIATOR, ARBITRATOR, SUPERVISOR, ADMINISTRATOR})


def user_roles(user) -> frozenset[str]:
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_laborcase_roles", None)
    if cached is None:
        cached = user._laborcase_roles = _roles(user, user.groups.values_list("name", flat=True))
    return cached


def _roles(user, group_names) -> frozenset[str]:
    """The user's roles: their groups' names, and a superuser's administrator role."""
    return frozenset(group_names) | ({ADMINISTRATOR} if user.is_superuser else frozenset())


def has_any_role(user, roles) -> bool:
    return bool(user_roles(user) & set(roles))


def may_use_workbench(user) -> bool:
    """The case workbench's door (cases.views.workbench.staff_required, the navigation)."""
    return has_any_role(user, CASE_ROLES)


def is_county_level(user) -> bool:
    """County-level staff (and superusers) see every township."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    return bool(profile and profile.county_level)


def township_ids(user) -> frozenset[int]:
    cached = getattr(user, "_laborcase_townships", None)
    if cached is None:
        profile = getattr(user, "staff_profile", None)
        cached = (
            frozenset(profile.townships.values_list("id", flat=True)) if profile else frozenset()
        )
        user._laborcase_townships = cached
    return cached


def remember_roles(users) -> None:
    """Fill user_roles' and township_ids' caches of many users in two queries (the
    sockets' sign-in checks read thousands at once, notifications.auth). The users'
    staff_profile must be selected with them (select_related)."""
    from django.contrib.auth import get_user_model

    from core.models import StaffProfile

    names: dict[int, set[str]] = {user.pk: set() for user in users}
    memberships = get_user_model().groups.through.objects.filter(user_id__in=names)
    for user_id, name in memberships.values_list("user_id", "group__name"):
        names[user_id].add(name)
    townships: dict[int, set[int]] = {user.pk: set() for user in users}
    served = StaffProfile.townships.through.objects.filter(staffprofile__user_id__in=townships)
    for user_id, township_id in served.values_list("staffprofile__user_id", "township_id"):
        townships[user_id].add(township_id)
    for user in users:
        user._laborcase_roles = _roles(user, names[user.pk])
        user._laborcase_townships = frozenset(townships[user.pk])


def in_jurisdiction(user, township_id: int) -> bool:
    return is_county_level(user) or township_id in township_ids(user)


def cases_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Cases a staff user may read: case roles only, in their townships."""
    if not has_any_role(user, CASE_ROLES):
        return queryset.none()
    if is_county_level(user):
        return queryset
    return queryset.filter(Q(township_id__in=township_ids(user)))
