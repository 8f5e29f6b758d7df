"""Who sees and edits which ledger entries (core.roles style).

County-level staff (the county HR bureau, the supervisor) see every entry; township
employment-station staff the entries of their townships; a village employment steward
(就业管家) only the people of the villages assigned to them (Village.stewards).
"""

from django.db.models import Q, QuerySet

from core import roles

LEDGER_ROLES = frozenset(
    {
        roles.EMPLOYMENT_STEWARD,
        roles.EMPLOYMENT_STATION,
        roles.COUNTY_REVIEWER,
        roles.SUPERVISOR,
        roles.ADMINISTRATOR,
    }
)
# Who keeps the registers of a township or the county: plants, rosters, postings.
REGISTER_ROLES = LEDGER_ROLES - {roles.EMPLOYMENT_STEWARD}


def may_use_ledger(user) -> bool:
    return roles.has_any_role(user, LEDGER_ROLES)


def may_keep_registers(user) -> bool:
    return roles.has_any_role(user, REGISTER_ROLES)


def is_steward_only(user) -> bool:
    """A steward and nothing above: their villages, never a whole township."""
    return not roles.is_county_level(user) and not may_keep_registers(user)


def village_ids(user) -> frozenset[int]:
    cached = getattr(user, "_laborcase_villages", None)
    if cached is None:
        if user and user.is_authenticated:
            cached = frozenset(user.employment_villages.values_list("id", flat=True))
        else:
            cached = frozenset()
        user._laborcase_villages = cached
    return cached


def township_ids(user) -> frozenset[int]:
    """The townships whose whole ledger the user sees (none for a steward)."""
    if is_steward_only(user):
        return frozenset()
    return roles.township_ids(user)


def entries_visible_to(user, queryset: QuerySet) -> QuerySet:
    if not may_use_ledger(user):
        return queryset.none()
    if roles.is_county_level(user):
        return queryset
    return queryset.filter(
        Q(township_id__in=township_ids(user)) | Q(village_id__in=village_ids(user))
    )


def villages_visible_to(user, queryset: QuerySet) -> QuerySet:
    if not may_use_ledger(user):
        return queryset.none()
    if roles.is_county_level(user):
        return queryset
    return queryset.filter(Q(township_id__in=township_ids(user)) | Q(pk__in=village_ids(user)))


def in_ledger_jurisdiction(user, *, township_id: int, village_id: int | None = None) -> bool:
    if not may_use_ledger(user):
        return False
    if roles.is_county_level(user) or township_id in township_ids(user):
        return True
    return village_id is not None and village_id in village_ids(user)


def may_keep_township(user, township_id: int) -> bool:
    """Plants, rosters and postings of a township: its station staff or the county."""
    if not may_keep_registers(user):
        return False
    return roles.is_county_level(user) or township_id in roles.township_ids(user)


def townships_kept_by(user, queryset: QuerySet) -> QuerySet:
    if not may_use_ledger(user):
        return queryset.none()
    if roles.is_county_level(user):
        return queryset
    ids = set(township_ids(user))
    return queryset.filter(pk__in=ids)
