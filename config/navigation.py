"""Where each staff user works: the sections of the staff shell, who may open each, and
the page a user lands on after signing in.

Each section's test is the very function its views use to let a user in (the views import
it from its app), so the navigation never shows a link that answers 403 and the landing
page is always one the user may open. A user's home is the first section they may open,
in the order below: case roles land on the workbench, subsidy reviewers and finance on
their subsidy inbox, the screen account on the command screen.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from core import roles
from employment import access as employment_access
from enforcement import selectors as enforcement_selectors
from notifications import audience as alert_audience
from reports import selectors as report_selectors
from workflows import selectors as subsidy_selectors


def _may_open_admin(user) -> bool:
    # The admin site's own test (AdminSite.has_permission) without a request.
    return bool(user.is_active and user.is_staff)


@dataclass(frozen=True)
class Section:
    key: str
    url_name: str
    label: str
    allowed: Callable[[object], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def contains(self, path: str) -> bool:
        return path.startswith(self.url)


# In the order of the navigation; the first one a user may open is their home.
SECTIONS = [
    Section("workbench", "workbench-queue", _("案件工作台"), roles.may_use_workbench),
    Section("subsidies", "subsidies:inbox", _("补贴审批"), subsidy_selectors.may_work_on_subsidies),
    Section("employment", "employment:home", _("就业台账"), employment_access.may_use_ledger),
    Section("screen", "command-screen", _("指挥大屏"), alert_audience.is_staff),
    Section("alerts", "alert-list-page", _("风险预警"), alert_audience.is_staff),
    Section("reports", "reports:statistics", _("统计报表"), report_selectors.may_read_reports),
    Section("enforcement", "enforcement:blacklist", _("失信惩戒"), enforcement_selectors.may_read),
    Section("admin", "admin:index", _("系统管理"), _may_open_admin),
]
# The order of the links in the bar (the screen last: it is a wall display).
NAV_ORDER = [
    "workbench",
    "subsidies",
    "employment",
    "alerts",
    "reports",
    "enforcement",
    "screen",
    "admin",
]
_BY_KEY = {section.key: section for section in SECTIONS}

# A signed-in user with no staff role at all has nothing but the public portal.
NO_SECTION_HOME = "/"


def sections_for(user) -> list[Section]:
    if not user or not user.is_authenticated:
        return []
    return [_BY_KEY[key] for key in NAV_ORDER if _BY_KEY[key].allowed(user)]


def home_url(user) -> str:
    for section in SECTIONS:
        if user and user.is_authenticated and section.allowed(user):
            return section.url
    return NO_SECTION_HOME


def may_open(user, path: str) -> bool:
    """False only for a path inside a section the user may not open."""
    for section in SECTIONS:
        if section.contains(path):
            return section.allowed(user)
    return True


def staff_navigation(request):
    """Template context: the staff shell's links and the user's home, computed on use."""
    user = getattr(request, "user", None)

    def links():
        return [
            {"url": s.url, "label": s.label, "active": s.contains(request.path), "key": s.key}
            for s in sections_for(user)
        ]

    return {
        "staff_nav": SimpleLazyObject(links),
        "staff_home": SimpleLazyObject(lambda: home_url(user)),
    }
