"""What seed_demo prints at the end: the cases by state, the demo users and password,
the addresses to open and a case a worker can look up (with a new query code)."""

from collections import Counter

from cases import reference
from cases.models import Case, CaseState
from core import query_codes, roles
from core.models import Employer
from demo.base import Demo
from demo.staff import USERS

# A case for the summary's "try it": one a worker would follow, with dates ahead.
TRY_STATES = [CaseState.ORDERED, CaseState.HEARING, CaseState.MEDIATING, CaseState.INVESTIGATING]


def run(demo: Demo) -> None:
    password, generated = demo.password, demo.password_generated
    url = demo.url.rstrip("/")
    out = demo.stdout.write
    counts = Counter(Case.objects.filter(is_demo=True).values_list("state", flat=True))
    employers = Employer.objects.filter(is_demo=True).count()
    out("")
    out(f"演示数据 Demo data: {sum(counts.values())} cases, {employers} employers")
    out("  " + ", ".join(f"{s.value} {counts[s.value]}" for s in CaseState if counts[s.value]))
    note = "（随机生成 generated）" if generated else ""
    out(f"演示用户 Demo users, 密码 password: {password}{note}")
    for username, display, group_name, township_code in USERS:
        where = dict(reference.TOWNSHIPS).get(township_code, "全县 county")
        out(f"  {username:<12} {roles.ROLE_LABELS[group_name]}（{display}） {where}")
    out("打开 Open:")
    out(f"  {url}/                 工人投诉、查询 workers (no account)")
    out(f"  {url}/accounts/login/  工作人员登录 staff sign-in")
    out(f"  {url}/screen/          指挥大屏 command screen (user screen)")
    out(f"  {url}/admin/           管理后台 admin (user admin)")
    case = (
        Case.objects.filter(is_demo=True, state__in=TRY_STATES)
        .order_by("-received_at")
        .values_list("number", flat=True)
        .first()
    )
    if case:
        # Only a hash of each code is stored: the demo case gets a new one to print.
        number, code = case, query_codes.query_code_new()
        Case.objects.filter(number=number).update(
            query_code_hash=query_codes.query_code_hash(code), query_code_pending=""
        )
        out(f"试一试 Try: {url}/status/?case_number={number}  查询码 query code {code}")
