"""Who sees which alert, and the channel-layer group of each audience.

One rule, read three ways: the alerts a user may list (alerts_visible_to: the API, the
alerts page, a socket's resume), the groups a user's socket joins (alert_audience) and
the groups an alert is sent to (alert_groups). County-level staff and the command screen
see every alert; other staff their townships' and the alerts addressed to them (an
escalation to a supervisor). Every socket of a user also joins the user's own group,
through which notifications.push closes them (sockets_close).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core import roles
from notifications.models import Alert

COUNTY_GROUP = "alerts.county"
# The command screen's figures (summary messages): every staff socket that has not said
# `?figures=0` (the alerts page, which shows no figures: nine in ten sockets of a
# province's staff, benchmark 5d).
FIGURES_GROUP = "alerts.figures"


def township_group(township_id: int) -> str:
    return f"alerts.township.{township_id}"


def user_group(user_id: int) -> str:
    return f"alerts.user.{user_id}"


def is_staff(user) -> bool:
    return bool(roles.user_roles(user))


def sees_whole_county(user) -> bool:
    return roles.is_county_level(user) or roles.SCREEN in roles.user_roles(user)


def alerts_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """County-level staff and the screen see every alert; others their townships' and
    the alerts addressed to them (escalations to a supervisor)."""
    queryset = Alert.objects.all() if queryset is None else queryset
    if not is_staff(user):
        return queryset.none()
    if sees_whole_county(user):
        return queryset
    mine = Alert.objects.filter(
        Q(township_id__in=roles.township_ids(user)) | Q(notify_users=user)
    ).values("pk")
    return queryset.filter(pk__in=mine)


@dataclass
class Audience:
    allowed: bool
    groups: list[str]


def alert_audience(user) -> Audience:
    """The channel-layer groups a user's socket joins; they mirror alerts_visible_to."""
    if not is_staff(user):
        return Audience(False, [])
    groups = [user_group(user.pk)]
    if sees_whole_county(user):
        groups.append(COUNTY_GROUP)
    else:
        groups += [township_group(t) for t in sorted(roles.township_ids(user))]
    return Audience(True, groups)


def alert_groups(alert: Alert, notify_ids: Iterable[int] | None = None) -> list[str]:
    """The groups an alert is sent to: the county, its township, the users it names."""
    if notify_ids is None:
        notify_ids = alert.notify_users.values_list("id", flat=True)
    return [COUNTY_GROUP, township_group(alert.township_id)] + [user_group(i) for i in notify_ids]


def township_staff(township_id: int, role_names: Iterable[str]) -> list:
    """The active staff in these roles who work for the township (or the whole county):
    the people an alert about one of its cases names (Alert.notify_users)."""
    return list(
        get_user_model()
        .objects.filter(groups__name__in=list(role_names), is_active=True)
        .filter(Q(staff_profile__county_level=True) | Q(staff_profile__townships__id=township_id))
        .distinct()
        .order_by("pk")
    )
