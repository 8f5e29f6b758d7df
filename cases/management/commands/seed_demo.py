"""Demo data: staff users, Xiangfen employers and a few hundred cases in every state.

    python manage.py seed_demo [--password P] [--cases N]

Every employer and case it creates is marked is_demo. Cases are filed through the
complaint service and moved only through the real transition service, dated after
their filing, so events, deadlines and clocks are the ones the system computes.
What follows a case change (its risk score and alerts, the workers' confirmation SMS)
runs once per case when all cases exist, not after each of the ~1,400 steps: only the
last score counts, and scoring every step took most of a minute.
Employers and people are fictional; their identifiers carry valid check digits.
Safe to run again: users get the password again, nothing is duplicated, and cases are
created only when there are no demo cases yet.

It prints a progress bar on stderr (on a terminal) and a short summary: the demo users,
the password, the addresses to open and a case a worker can look up.
"""

import datetime as dt
import hashlib
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from cases import errors, filing, query_codes, reference, services
from cases.management.progress import Progress, quiet_logging
from cases.models import Case, CaseKind, CaseState, Channel
from cases.signals import complaint_filed, signals_held
from core import roles
from core.models import Employer, StaffProfile, Township
from rules.memo import request_memo

S = CaseState
WA = CaseKind.WAGE_ARREARS
LD = CaseKind.LABOR_DISPUTE
SEED = 2024
HISTORY_DAYS = 420  # about 14 months of cases

FIRST, SECOND = reference.TOWNSHIPS[0][0], reference.TOWNSHIPS[1][0]  # xincheng, zhaokang

# --- users -------------------------------------------------------------------------------

# username, display name, group, township code (None: county level)
USERS = [
    ("inspector1", "王建军", roles.INSPECTOR, FIRST),
    ("inspector1b", "李晓燕", roles.INSPECTOR, FIRST),
    ("mediator1", "张秀兰", roles.MEDIATOR, FIRST),
    ("arbitrator1", "刘志刚", roles.ARBITRATOR, FIRST),
    ("inspector2", "赵永红", roles.INSPECTOR, SECOND),
    # Accepting a wage-arrears case takes two inspectors (docs/domain.md).
    ("inspector2b", "周建平", roles.INSPECTOR, SECOND),
    ("mediator2", "郭丽萍", roles.MEDIATOR, SECOND),
    ("arbitrator2", "贾文斌", roles.ARBITRATOR, SECOND),
    ("supervisor", "陈国强", roles.SUPERVISOR, None),
    ("township1", "杨春梅", roles.TOWNSHIP_REVIEWER, FIRST),
    # Enters the demo subsidy applications: whoever enters one decides none of its steps.
    ("township1b", "柴俊杰", roles.TOWNSHIP_REVIEWER, FIRST),
    ("county", "吕海涛", roles.COUNTY_REVIEWER, None),
    ("finance", "柴红霞", roles.FINANCE, None),
    ("screen", "指挥大屏", roles.SCREEN, None),
    ("admin", "系统管理员", roles.ADMINISTRATOR, None),
]

# Who acts for each role in a township; elsewhere the county-level supervisor acts.
LOCAL_STAFF = {
    FIRST: {
        "inspector": "inspector1",
        "inspector_b": "inspector1b",
        "mediator": "mediator1",
        "arbitrator": "arbitrator1",
    },
    SECOND: {
        "inspector": "inspector2",
        "inspector_b": "inspector2b",
        "mediator": "mediator2",
        "arbitrator": "arbitrator2",
    },
}

# --- employers (fictional) ---------------------------------------------------------------

# name, township, sector, size, projects, flags
# fmt: off
EMPLOYERS = [
    ("山西汾河宏达建筑工程有限公司", "xincheng", "construction", "medium", ["汾河湾小区二期", "新城镇第二中学教学楼"], {}),
    ("襄汾县城乡建设投资有限公司", "xincheng", "construction", "large", ["县城南环路改造工程", "新城镇保障性住房项目"], {"soe": True}),
    ("临汾市聚鑫劳务派遣有限公司", "xincheng", "services", "micro", [], {"blacklisted": True}),
    ("襄汾县鑫源商贸有限公司", "xincheng", "services", "small", [], {}),
    ("襄汾县丰禾面粉有限公司", "xincheng", "manufacturing", "small", [], {}),
    ("襄汾县悦来大酒店有限公司", "xincheng", "services", "small", [], {}),
    ("襄汾县顺通物流有限公司", "xincheng", "transport", "small", [], {}),
    ("襄汾县新城恒泰焦化有限公司", "xincheng", "steel_coke", "large", [], {"closed": True}),
    ("襄汾县赵康鑫达焦化有限公司", "zhaokang", "steel_coke", "large", [], {"closed": True}),
    ("山西赵康新型建材有限公司", "zhaokang", "manufacturing", "medium", [], {}),
    ("山西晋运路桥工程有限公司", "zhaokang", "construction", "medium", ["赵康镇美丽乡村道路工程"], {"soe": True}),
    ("襄汾县永盛服装加工厂", "zhaokang", "manufacturing", "micro", [], {"blacklisted": True}),
    ("襄汾县康达养殖专业合作社", "zhaokang", "agriculture", "micro", [], {"coop": True}),
    ("襄汾县汾城古建园林工程有限公司", "fencheng", "construction", "small", ["汾城古镇修缮工程"], {}),
    ("山西南贾金属制品有限公司", "nanjia", "manufacturing", "small", [], {}),
    ("襄汾县古城洗煤有限公司", "gucheng", "mining", "medium", [], {"closed": True}),
    ("襄汾县襄陵果蔬冷链有限公司", "xiangling", "agriculture", "small", [], {}),
    ("襄汾县邓庄华鑫钢铁有限公司", "dengzhuang", "steel_coke", "large", [], {"closed": True}),
    ("襄汾县陶寺文旅开发有限公司", "taosi", "construction", "small", ["陶寺遗址游客中心工程"], {"soe": True}),
    ("襄汾县永固农机服务有限公司", "yonggu", "services", "micro", [], {}),
    ("山西景毛焦化集团有限公司", "jingmao", "steel_coke", "large", [], {"closed": True}),
    ("襄汾县西贾新型墙材厂", "xijia", "manufacturing", "micro", [], {}),
    ("襄汾县南辛店惠民超市有限公司", "nanxindian", "services", "small", [], {}),
    ("襄汾县大邓矿业有限公司", "dadeng", "mining", "medium", [], {}),
    ("山西襄汾新能源装备制造有限公司", "kaifaqu", "manufacturing", "large", [], {}),
    ("临汾华晋电子科技有限公司", "kaifaqu", "manufacturing", "medium", [], {}),
    ("山西晋南城建集团有限公司", "kaifaqu", "construction", "large", ["开发区标准化厂房三期"], {"soe": True}),
]
# fmt: on

STREETS = ["府前街", "汾河路", "新华街", "文化路", "工业园区", "南大街", "丁陶路", "尧都路"]

# --- people ------------------------------------------------------------------------------

SURNAMES = "王李张刘杨赵郭贾陈吕柴史薛段任梁卫闫武范董孙高马韩田许崔冯"
MALE = "建军 志强 国华 海军 晓东 永平 俊杰 文斌 红兵 卫东 宏伟 建平 小龙 鹏飞 长青 振华 保全 虎生 满仓 二牛".split()
FEMALE = "秀兰 丽萍 红霞 春梅 晓燕 海燕 玉莲 彩霞 美英 桂芳 小红 丽娟 雪梅 慧敏 艳芳 翠花 亚楠 佳怡 婷婷 金凤".split()
PHONE_PREFIXES = "133 135 136 139 150 152 155 158 177 181 183 186 187 189 191 199".split()
# Monthly pay by sector (yuan), for plausible claim amounts.
WAGES = {
    "construction": (4500, 7500),
    "steel_coke": (3500, 5500),
    "mining": (5000, 8000),
    "manufacturing": (2800, 4800),
    "services": (2200, 3800),
    "agriculture": (2000, 3200),
    "transport": (4000, 6500),
    "other": (2500, 4000),
}
JOBS = {
    "construction": ["钢筋工", "木工", "瓦工", "架子工", "塔吊司机", "小工"],
    "steel_coke": ["炼焦工", "化产工", "装煤车司机", "电工", "保全工"],
    "mining": ["井下工", "装载机司机", "洗煤工"],
    "manufacturing": ["操作工", "缝纫工", "电焊工", "包装工", "质检员"],
    "services": ["服务员", "厨师", "保洁员", "收银员", "保安"],
    "agriculture": ["饲养员", "分拣工", "冷库搬运工"],
    "transport": ["货车司机", "装卸工", "押运员"],
    "other": ["临时工"],
}
DISTRESS = [
    "工友们说再不给钱就要去县政府集体上访。",
    "有人说要爬上塔吊讨薪，大家情绪很激动。",
    "大家商量着要去项目门口拉横幅。",
]
LD_CLAIMS = [
    "单位未与本人签订书面劳动合同，请求支付二倍工资差额{amount}元。",
    "单位以企业关停为由解除劳动合同，未支付经济补偿，请求支付经济补偿{amount}元。",
    "工作期间长期加班，单位未支付加班费，请求支付加班费{amount}元。",
    "单位未依法缴纳社会保险，本人被迫解除劳动合同，请求支付经济补偿{amount}元。",
    "本人工作中受伤，单位拒付停工留薪期工资及医疗费共{amount}元。",
]
EMPLOYER_STATEMENTS = [
    "单位承认拖欠，称工程款未到位，请求宽限一个月。",
    "单位称已与包工头结算，工资应由包工头发放。",
    "单位对欠薪数额有异议，提交了考勤记录。",
    "单位法定代表人未到场，委托财务人员陈述：企业关停后资金困难。",
]

CHANNEL_WEIGHTS = [
    (Channel.ONLINE, 35),
    (Channel.HOTLINE_12345, 20),
    (Channel.HOTLINE_12333, 15),
    (Channel.WALK_IN, 15),
    (Channel.LETTER, 3),
    (Channel.PATROL, 5),
    (Channel.PLATFORM, 7),
]


def make_uscc(name: str, coop: bool = False) -> str:
    """A stable, valid USCC for a fictional employer (region code of Xiangfen)."""
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**9
    base = ("93" if coop else "91") + "141023" + f"{digits:09d}"
    return base + uscc.calc_check_digit(base)


def make_id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    # Xiangfen's code is 141023 since 2000; people born earlier keep 142623 (Linfen
    # prefecture), which is also what stdnum's birth-place table expects.
    region = "141023" if birth.year >= 2000 else "142623"
    sequence = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- planning a case ---------------------------------------------------------------------


@dataclass
class Step:
    offset: int  # days after the filing day
    role: str
    name: str
    data: object  # dict, or callable(Act) -> dict


@dataclass
class Plan:
    rng: random.Random
    township: str
    t: int = 0
    steps: list = field(default_factory=list)

    @property
    def local(self):
        """Demo staff work in the case's township (elsewhere the supervisor acts)."""
        return self.township in LOCAL_STAFF

    def r(self, low, high):
        return self.rng.randint(low, high)

    def act(self, gap, role, name, data=None):
        self.t += self.r(*gap) if isinstance(gap, tuple) else gap
        self.steps.append(Step(self.t, role, name, data if data is not None else {}))
        return self.t


@dataclass
class Act:
    """What a step's data needs when it runs: the act's date, the case's claims, staff."""

    case: Case
    today: dt.date
    township: str

    @property
    def claims(self):
        return list(self.case.claims.select_related("person").order_by("id"))

    def staff(self, role):
        return LOCAL_STAFF.get(self.township, {}).get(role)

    def after(self, days):
        return (self.today + dt.timedelta(days=days)).isoformat()


def pay_all(x: Act):
    return {
        "payments": [
            {"claim": c.id, "amount": str(c.outstanding)} for c in x.claims if c.outstanding
        ],
        "note": "用人单位已足额支付，劳动者确认收到。",
    }


def pay_some(x: Act):
    claims = [c for c in x.claims if c.outstanding]
    lines = [{"claim": c.id, "amount": str(money(c.outstanding / 2))} for c in claims]
    return {"payments": lines, "note": "用人单位先行支付一半，余款承诺限期内付清。"}


def split_settlement(claims, ratio, parts):
    """Agreed amount per claim, split into instalments: [{claim_id: amount}, ...]."""
    schedule = [{} for _ in range(parts)]
    for claim in claims:
        agreed = money(claim.amount_claimed * Decimal(ratio))
        first = money(agreed / parts) if parts > 1 else agreed
        amounts = [first] * (parts - 1) + [agreed - first * (parts - 1)]
        for index, amount in enumerate(amounts):
            if amount > 0:
                schedule[index][claim.id] = amount
    return [part for part in schedule if part]


# Each builder adds the steps of one course of events to a Plan.


def wa_accept(p):
    p.act(
        (1, 4),
        "inspector",
        "accept",
        lambda x: {
            "inspectors": [x.staff("inspector"), x.staff("inspector_b")],
            "note": "经审查符合立案条件，予以立案调查。",
        },
    )


def wa_hear(p):
    p.act((3, 10), "inspector_b", "hear_employer", {"note": p.rng.choice(EMPLOYER_STATEMENTS)})


def wa_order(p):
    """Order to pay; returns the offset of the pay-by day."""
    days = p.r(10, 20)
    p.act(
        (1, 4),
        "inspector",
        "order_payment",
        lambda x: {"pay_by": x.after(days), "note": "下达劳动保障监察责令改正指令书。"},
    )
    return p.t + days


def wa_penalize(p, pay_by):
    percent = p.rng.choice([50, 60, 80, 100])
    penalty = p.rng.choice(["2000.00", "5000.00", "10000.00"])
    p.act(
        pay_by - p.t + p.r(2, 10),
        "inspector",
        "penalize",
        lambda x: {
            "compensation_percent": percent,
            "penalty_amount": penalty,
            "decision_number": f"襄人社监罚〔{x.today.year}〕{x.case.pk % 97 + 1}号",
            "note": "逾期未支付，责令加付赔偿金并处罚款。",
        },
    )


def wa_transfer(p, role="inspector", override=False):
    data = {"note": "涉嫌拒不支付劳动报酬罪，移送县公安局。"}
    if override:
        data["override_reason"] = "单位负责人失联并转移财产，虽未达数额标准，仍移送公安机关。"
    p.act((2, 6), role, "transfer_to_police", data)


def ld_accept(p):
    p.act(
        (1, 4),
        "arbitrator",
        "accept",
        lambda x: {"arbitrators": [x.staff("arbitrator")]} if x.staff("arbitrator") else {},
    )


def ld_compose(p):
    if p.local:
        p.act(
            (1, 4),
            "arbitrator",
            "compose_tribunal",
            lambda x: {"arbitrators": [x.staff("arbitrator")]},
        )


def ld_mediate(p):
    p.act((1, 5), "mediator", "start_mediation", {"note": "双方同意调解。"})


def ld_settle(p, parts=None, pay=0, gap=(3, 14), role="mediator"):
    """Sign a mediation agreement; pay the first `pay` instalments; returns parts."""
    ratio = p.rng.choice([0.7, 0.8, 0.9, 1.0])
    parts = parts or p.rng.choice([1, 2])
    spacing = p.r(15, 30)

    def agreement(x):
        schedule = split_settlement(x.claims, ratio, parts)
        return {
            "instalments": [
                {"due_date": x.after(spacing * (i + 1) - 10), "amount": str(sum(part.values()))}
                for i, part in enumerate(schedule)
            ],
            "note": "双方自愿达成调解协议，分期履行。",
        }

    p.act(gap, role, "settle", agreement)
    for i in range(min(pay, parts)):

        def payment(x, i=i):
            part = split_settlement(x.claims, ratio, parts)[i]
            return {
                "payments": [{"claim": k, "amount": str(v)} for k, v in part.items()],
                "note": f"第{i + 1}期款项已履行。",
            }

        p.act(spacing - 10 if i == 0 else spacing, role, "record_payment", payment)
    return parts


def ld_to_hearing(p, mediate=None):
    if mediate is None:
        mediate = p.rng.random() < 0.6
    if mediate:
        ld_mediate(p)
        p.act((8, 15), "mediator", "fail_mediation", {"note": "调解不成，转入仲裁审理。"})
    else:
        p.act((1, 3), "arbitrator", "refer_to_hearing", {"note": "当事人不同意调解。"})


def ld_schedule(p, postpone=False):
    """Fix a hearing date; returns its offset."""
    days = p.r(7, 15)
    p.act((1, 3), "arbitrator", "schedule_hearing", lambda x: {"hearing_date": x.after(days)})
    hearing = p.t + days
    if postpone:
        later = p.r(8, 15)
        p.act(
            1,
            "arbitrator",
            "postpone_hearing",
            lambda x: {"hearing_date": x.after(later), "note": "被申请人申请延期，理由正当。"},
        )
        hearing = p.t + later
    return hearing


def ld_award(p, hearing):
    ratio = p.rng.choice([0.5, 0.8, 1.0])

    def items(x):
        return {
            "items": [
                {
                    "claim": c.id,
                    "item": "wages" if c.months_owed else "compensation",
                    "amount": str(money(c.amount_claimed * Decimal(ratio))),
                }
                for c in x.claims
            ],
            "note": "经开庭审理，依法裁决。",
        }

    p.act(hearing - p.t + p.r(0, 5), "arbitrator", "award", items)


def awarded_pay(x: Act):
    award = {i["claim"]: Decimal(i["amount"]) for i in x.case.outcome.get("award_items", [])}
    lines = [
        {"claim": c.id, "amount": str(min(award.get(c.id, 0), c.outstanding))}
        for c in x.claims
        if min(award.get(c.id, 0), c.outstanding) > 0
    ]
    return {"payments": lines, "note": "被申请人已按裁决履行。"}


# --- the courses of events ---------------------------------------------------------------


def sc_nothing(p):
    pass


def sc_supplement(p):
    p.act((1, 3), "inspector", "request_supplement", {"note": "请补充劳动关系证明及欠薪明细。"})


def sc_ld_supplement(p):
    p.act((1, 3), "arbitrator", "request_supplement", {"note": "请提交仲裁申请书副本及身份证明。"})


def sc_resubmitted(p):
    p.act((1, 3), "inspector", "request_supplement", {"note": "请补充工资条或考勤记录。"})
    p.act((3, 10), "inspector", "receive_supplement", {"note": "劳动者已补正材料。"})


def sc_wa_reject(p):
    if p.rng.random() < 0.3:
        p.act((1, 3), "inspector", "request_supplement", {"note": "请提供用人单位准确名称和地址。"})
        p.act((10, 20), "inspector", "reject", {"reason_code": "employer_unidentified"})
        return
    reason = p.rng.choice(
        ["out_of_time", "outside_jurisdiction", "dispute_track", "already_handled"]
    )
    p.act((1, 4), "inspector", "reject", {"reason_code": reason, "note": "书面告知不予受理理由。"})


def sc_ld_reject(p):
    reason = p.rng.choice(["out_of_time", "not_labor_matter", "already_handled"])
    p.act((1, 4), "arbitrator", "reject", {"reason_code": reason, "note": "出具不予受理通知书。"})


def sc_investigating(p):
    wa_accept(p)
    if p.rng.random() < 0.6:
        wa_hear(p)


def sc_investigating_extended(p):
    wa_accept(p)
    wa_hear(p)
    p.act(
        (70, 80),
        "supervisor",
        "extend_investigation",
        {"note": "涉及人数多、账目复杂，延长调查期限。"},
    )


def sc_ordered(p):
    wa_accept(p)
    wa_hear(p)
    wa_order(p)
    if p.rng.random() < 0.3:
        p.act((2, 5), "inspector", "record_payment", pay_some)


def sc_paid(p):
    wa_accept(p)
    wa_hear(p)
    wa_order(p)
    p.act((3, 9), "inspector", "record_payment", pay_all)


def sc_penalized(p):
    wa_accept(p)
    wa_hear(p)
    wa_penalize(p, wa_order(p))


def sc_transferred(p):
    wa_accept(p)
    wa_hear(p)
    pay_by = wa_order(p)
    if p.rng.random() < 0.5:
        wa_penalize(p, pay_by)
        wa_transfer(p)
    else:
        p.t = pay_by
        wa_transfer(p)


def sc_transferred_override(p):
    wa_accept(p)
    wa_hear(p)
    p.t = wa_order(p)
    wa_transfer(p, role="supervisor", override=True)


def sc_closed_paid(p):
    sc_paid(p)
    p.act((2, 7), "inspector", "close", {"note": "欠薪已全部清偿，结案。"})


def sc_closed_early_pay(p):
    wa_accept(p)
    p.act((2, 10), "inspector", "record_payment", pay_all)
    p.act((1, 5), "inspector", "close", {"note": "立案后单位主动支付，结案。"})


def sc_closed_penalized(p):
    sc_penalized(p)
    p.act((5, 20), "inspector", "record_payment", pay_all)
    p.act((1, 5), "inspector", "close", {"note": "处罚决定已履行，结案。"})


def sc_closed_transferred(p):
    sc_transferred(p)
    p.act((10, 30), "inspector", "close", {"note": "已移送公安机关立案侦查，本案结案。"})


def sc_revoked(p):
    wa_accept(p)
    p.act((3, 15), "inspector", "revoke", {"note": "违法行为轻微并已及时纠正，撤销立案。"})


def sc_wa_withdrawn(p):
    if p.township == FIRST and p.rng.random() < 0.5:  # two inspectors there
        wa_accept(p)
    p.act((1, 10), "inspector", "withdraw", {"note": "劳动者撤回投诉：已与单位协商解决。"})


def sc_converted(p):
    p.act(
        (1, 3), "inspector", "convert_track", {"note": "属解除劳动合同经济补偿争议，转仲裁程序。"}
    )
    ld_accept(p)
    ld_mediate(p)
    ld_settle(p, pay=2, parts=1)
    p.act((1, 5), "mediator", "close", {"note": "调解协议已履行完毕，结案。"})


def sc_accepted(p):
    ld_accept(p)
    if p.rng.random() < 0.5:
        ld_compose(p)


def sc_mediating(p):
    ld_accept(p)
    ld_compose(p)
    ld_mediate(p)


def sc_settled(p):
    ld_accept(p)
    ld_mediate(p)
    ld_settle(p, parts=2, pay=p.rng.choice([0, 1]))


def sc_hearing(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p)
    ld_schedule(p, postpone=p.rng.random() < 0.3)
    roll = p.rng.random()
    if roll < 0.15:
        p.act(
            1,
            "arbitrator",
            "restart_clock",
            {"reason_code": "claims_changed", "note": "申请人增加仲裁请求。"},
        )
    elif roll < 0.3:
        p.act(1, "supervisor", "extend_award", {"note": "案情复杂，经仲裁委员会主任批准延长。"})


def sc_suspended(p):
    ld_accept(p)
    ld_compose(p)
    if p.rng.random() < 0.5:
        ld_to_hearing(p, mediate=False)
    p.act(
        (2, 10), "arbitrator", "suspend", {"note": "申请人申请工伤认定，待认定结论作出后恢复审理。"}
    )


def sc_awarded(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p)
    ld_award(p, ld_schedule(p))


def sc_closed_settled(p):
    ld_accept(p)
    ld_compose(p)
    ld_mediate(p)
    parts = ld_settle(p, pay=2)
    p.act((1, 5), "mediator", "close", {"note": f"调解协议{parts}期款项均已履行，结案。"})


def sc_closed_awarded(p):
    sc_awarded(p)
    if p.rng.random() < 0.5:
        p.act((10, 30), "arbitrator", "record_payment", awarded_pay)
    p.act((1, 10), "arbitrator", "close", {"note": "裁决书已送达，结案。"})


def sc_closed_settled_in_hearing(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p, mediate=False)
    hearing = ld_schedule(p)
    ld_settle(p, parts=1, pay=1, gap=hearing - p.t, role="arbitrator")
    p.act((1, 5), "arbitrator", "close", {"note": "庭审中达成调解并已履行，结案。"})


def sc_resumed_awarded(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p, mediate=False)
    p.act((2, 5), "arbitrator", "suspend", {"note": "需等待工伤认定结论。"})
    p.act((20, 40), "arbitrator", "resume", {"note": "工伤认定结论已作出，恢复审理。"})
    ld_award(p, ld_schedule(p))


def sc_ld_withdrawn(p):
    ld_accept(p)
    if p.rng.random() < 0.6:
        ld_mediate(p)
    p.act((2, 10), "mediator", "withdraw", {"note": "申请人撤回仲裁申请：双方已和解。"})


def sc_deemed_withdrawn(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p, mediate=False)
    hearing = ld_schedule(p)
    p.act(
        hearing - p.t,
        "arbitrator",
        "deem_withdrawn",
        {"note": "申请人经书面通知无正当理由拒不到庭。"},
    )


@dataclass(frozen=True)
class Scenario:
    key: str
    target: str
    kind: str
    where: str  # "any": every township; "local": the two with demo staff; or a code
    window: int | None  # open cases: filed at most this many days before the last act
    weight: float
    build: object
    profile: str = ""  # "police": 276-1 threshold met; "below": not met


# The first sixteen cover every state, so even a small --cases shows all of them.
# fmt: off
SCENARIOS = [
    Scenario("wa_submitted", S.SUBMITTED, WA, "any", 4, 8, sc_nothing),
    Scenario("wa_awaiting", S.AWAITING_SUPPLEMENT, WA, "any", 20, 3, sc_supplement),
    Scenario("wa_rejected", S.REJECTED, WA, "any", None, 4, sc_wa_reject),
    Scenario("wa_investigating", S.INVESTIGATING, WA, FIRST, 80, 10, sc_investigating),
    Scenario("wa_ordered", S.ORDERED, WA, FIRST, 25, 6, sc_ordered),
    Scenario("wa_paid", S.PAID, WA, FIRST, 10, 3, sc_paid),
    Scenario("wa_penalized", S.PENALIZED, WA, FIRST, 30, 3, sc_penalized),
    Scenario("wa_transferred", S.TRANSFERRED, WA, FIRST, 30, 2, sc_transferred, "police"),
    Scenario("ld_accepted", S.ACCEPTED, LD, "any", 12, 4, sc_accepted),
    Scenario("ld_mediating", S.MEDIATING, LD, "any", 12, 5, sc_mediating),
    Scenario("ld_settled", S.SETTLED, LD, "any", 20, 4, sc_settled),
    Scenario("ld_hearing", S.HEARING, LD, "any", 15, 5, sc_hearing),
    Scenario("ld_suspended", S.SUSPENDED, LD, "any", 30, 2, sc_suspended),
    Scenario("ld_awarded", S.AWARDED, LD, "any", 20, 3, sc_awarded),
    Scenario("wa_closed_paid", S.CLOSED, WA, FIRST, None, 14, sc_closed_paid),
    Scenario("ld_withdrawn", S.WITHDRAWN, LD, "any", None, 3, sc_ld_withdrawn),
    # further courses of events
    Scenario("ld_submitted", S.SUBMITTED, LD, "any", 3, 5, sc_nothing),
    Scenario("ld_awaiting", S.AWAITING_SUPPLEMENT, LD, "any", 15, 2, sc_ld_supplement),
    Scenario("wa_resubmitted", S.SUBMITTED, WA, "any", 8, 1, sc_resubmitted),
    Scenario("ld_rejected", S.REJECTED, LD, "any", None, 3, sc_ld_reject),
    Scenario("wa_extended", S.INVESTIGATING, WA, FIRST, 20, 1, sc_investigating_extended),
    Scenario("wa_transferred_override", S.TRANSFERRED, WA, FIRST, None, 0, sc_transferred_override, "below"),
    Scenario("wa_closed_early_pay", S.CLOSED, WA, FIRST, None, 6, sc_closed_early_pay),
    Scenario("wa_closed_penalized", S.CLOSED, WA, FIRST, None, 3, sc_closed_penalized),
    Scenario("wa_closed_transferred", S.CLOSED, WA, FIRST, None, 1, sc_closed_transferred, "police"),
    Scenario("wa_converted", S.CLOSED, WA, "local", None, 2, sc_converted),
    Scenario("ld_closed_settled", S.CLOSED, LD, "any", None, 12, sc_closed_settled),
    Scenario("ld_closed_awarded", S.CLOSED, LD, "any", None, 8, sc_closed_awarded),
    Scenario("ld_closed_in_hearing", S.CLOSED, LD, "any", None, 2, sc_closed_settled_in_hearing),
    Scenario("ld_resumed_awarded", S.AWARDED, LD, "any", None, 1, sc_resumed_awarded),
    Scenario("wa_revoked", S.WITHDRAWN, WA, FIRST, None, 2, sc_revoked),
    Scenario("wa_withdrawn", S.WITHDRAWN, WA, "any", None, 2, sc_wa_withdrawn),
    Scenario("ld_deemed_withdrawn", S.WITHDRAWN, LD, "any", None, 1, sc_deemed_withdrawn),
]
# fmt: on


# --- the command -------------------------------------------------------------------------

# A case for the summary's "try it": one a worker would follow, with dates ahead.
TRY_STATES = [S.ORDERED, S.HEARING, S.MEDIATING, S.INVESTIGATING]


class Command(BaseCommand):
    help = "Create demo users, employers and cases in every state (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for every demo user (default: random)")
        parser.add_argument("--cases", type=int, default=300, help="number of demo cases (300)")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="where the server will answer, for the summary (http://127.0.0.1:8000)",
        )

    def handle(self, *args, **options):
        # Hundreds of filings and scorings: each rule table is read once (rules.memo).
        with request_memo(), quiet_logging():
            return self._seed(*args, **options)

    def _seed(self, *args, password=None, cases=300, url="http://127.0.0.1:8000", **options):
        started = time.monotonic()
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        printed_password = password or secrets.token_urlsafe(9)

        reference.load(apps)
        with transaction.atomic():
            self.users = self.seed_users(printed_password)
            employers = self.seed_employers()

        if Case.objects.filter(is_demo=True).exists():
            self.stdout.write(
                "已有演示案件，跳过创建。Demo cases already exist; not creating more."
            )
        else:
            if cases < len(CaseState):
                self.stdout.write(
                    f"注意：{cases}个案件不足以覆盖全部状态。Too few cases for every state."
                )
            with signals_held() as held:
                with transaction.atomic():
                    self.seed_cases(employers, cases)
            self.follow_up(held)

        self.summary(printed_password, generated=password is None, url=url.rstrip("/"))
        self.stdout.write(f"用时 Took {time.monotonic() - started:.1f}s")

    # users and employers

    def seed_users(self, password):
        User = get_user_model()
        townships = {t.code: t for t in Township.objects.all()}
        groups = {g.name: g for g in Group.objects.all()}
        # Hashed once for all of them: a hash takes ~0.3 s by design (PBKDF2).
        hashed = make_password(password)
        users = {}
        for username, display, group_name, township_code in USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = display, ""
            user.is_active = True
            user.is_staff = user.is_superuser = username == "admin"
            user.password = hashed
            user.save()
            user.groups.set([groups[group_name]])
            profile, _ = StaffProfile.objects.get_or_create(user=user)
            profile.county_level = township_code is None
            profile.save()
            profile.townships.set([townships[township_code]] if township_code else [])
            users[username] = user
        return users

    def seed_employers(self):
        townships = {t.code: t for t in Township.objects.all()}
        self.projects = {}
        employers = []
        for name, code, sector, size, projects, flags in EMPLOYERS:
            township = townships[code]
            blacklisted = self.today + dt.timedelta(days=900) if flags.get("blacklisted") else None
            employer, _ = Employer.objects.get_or_create(
                uscc=make_uscc(name, coop=flags.get("coop", False)),
                defaults={
                    "name": name,
                    "address": f"山西省临汾市襄汾县{township.name}{self.rng.choice(STREETS)}",
                    "township": township,
                    "sector": sector,
                    "size_class": size,
                    "state_owned_or_government_project": flags.get("soe", False),
                    "closed_under_policy": flags.get("closed", False),
                    "blacklisted_until": blacklisted,
                    "is_demo": True,
                },
            )
            self.projects[employer.pk] = projects
            employers.append(employer)
        return employers

    # cases

    def seed_cases(self, employers, count):
        rng = self.rng
        by_township = {}
        for employer in employers:
            by_township.setdefault(employer.township.code, []).append(employer)
        townships = {t.code: t for t in Township.objects.all()}
        weights = [s.weight for s in SCENARIOS]
        chosen = SCENARIOS[:count] + rng.choices(
            SCENARIOS, weights, k=max(0, count - len(SCENARIOS))
        )
        self.id_numbers = set()
        planned = [self.plan_case(s, by_township, townships) for s in chosen]
        planned.sort(key=lambda item: item["received_at"])  # case numbers follow time
        progress = Progress(self.stderr, "演示案件 Demo cases   ", len(planned))
        for item in planned:
            self.run_case(item)
            progress.step()
        progress.finish()

    def follow_up(self, held):
        """What the held signals would have done, once per case: the follow-up of its
        last change (its score and alerts with the case as it now stands; a case still
        as filed also gets the workers' confirmation SMS). Cases still as filed come
        last, when every other case has its score, so their employer's other cases need
        no new one. One transaction: on SQLite every commit is a disk sync."""
        last = {}
        for signal, sender, kwargs in held:
            last.pop(kwargs["case_id"], None)  # keeps the order of the last changes
            last[kwargs["case_id"]] = (signal, sender, kwargs)
        pending = sorted(last.values(), key=lambda item: item[0] is complaint_filed)
        progress = Progress(self.stderr, "风险评分 Risk scoring ", len(pending))
        with transaction.atomic():
            for signal, sender, kwargs in pending:
                signal.send(sender=sender, **kwargs)
                progress.step()
        progress.finish()

    def plan_case(self, scenario, by_township, townships):
        rng = self.rng
        if scenario.where == "any":
            others = [code for code, _ in reference.TOWNSHIPS[2:]]
            code = rng.choice([FIRST] * 4 + [SECOND] * 4 + others)
        elif scenario.where == "local":
            code = rng.choice([FIRST, SECOND])
        else:
            code = scenario.where
        plan = Plan(rng=rng, township=code)
        scenario.build(plan)
        span = plan.t
        oldest = span + scenario.window if scenario.window is not None else HISTORY_DAYS
        age = rng.randint(span + 1, max(span + 1, oldest))
        received_on = self.today - dt.timedelta(days=age)
        channel = rng.choices([c for c, _ in CHANNEL_WEIGHTS], [w for _, w in CHANNEL_WEIGHTS])[0]
        received_at = timezone.make_aware(
            dt.datetime.combine(received_on, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
        )
        employer = rng.choice(by_township[code])
        claimants, description, project = self.claimants(scenario, employer)
        return {
            "scenario": scenario,
            "township": townships[code],
            "employer": employer,
            "received_at": received_at,
            "channel": channel,
            "claimants": claimants,
            "description": description,
            "project": project,
            "steps": plan.steps,
        }

    def person(self, low_age=19, high_age=58):
        rng = self.rng
        male = rng.random() < 0.7
        birth = self.today - dt.timedelta(days=rng.randint(low_age * 365, high_age * 365))
        while True:
            id_number = make_id_number(rng, birth, male)
            if id_number not in self.id_numbers:
                self.id_numbers.add(id_number)
                break
        name = rng.choice(SURNAMES) + rng.choice(MALE if male else FEMALE)
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        return name, id_number, phone

    def claimants(self, scenario, employer):
        rng = self.rng
        sector = employer.sector
        crowd_prone = (
            sector in ("construction", "steel_coke", "mining") or employer.closed_under_policy
        )
        collective = scenario.profile != "below" and rng.random() < (0.3 if crowd_prone else 0.05)
        if scenario.profile == "below":
            size = 1
        elif collective:
            size = rng.randint(10, 36)
        else:
            size = rng.choices([1, 2, 3, 4, 6], [60, 15, 10, 8, 7])[0]
        representatives = rng.randint(3, 5)  # a collective case elects 3-5
        low, high = WAGES.get(sector, WAGES["other"])
        people = []
        for index in range(size):
            name, id_number, phone = self.person()
            wage = rng.randint(low, high)
            if scenario.kind == WA:
                months = rng.randint(1, 6)
                if scenario.profile == "police" and index == 0:
                    months = rng.randint(3, 8)
                if scenario.profile == "below":
                    months = rng.randint(1, 2)
                amount = money(round(wage * months * rng.uniform(0.6, 1.0), -1))
                if scenario.profile == "police" and index == 0:
                    amount = max(amount, money(rng.randint(5000, 9000)))
                if scenario.profile == "below":
                    amount = min(amount, money(4200))
            else:
                months = rng.choice([None, None, rng.randint(1, 3)])
                amount = money(round(wage * rng.uniform(1.5, 12), -1))
            people.append(
                filing.ClaimantInput(
                    name=name,
                    id_number=id_number,
                    phone=phone,
                    amount_claimed=amount,
                    months_owed=months,
                    is_representative=collective and index < representatives,
                )
            )
        projects = self.projects.get(employer.pk)
        project = rng.choice(projects) if projects else ""
        return people, self.describe(scenario.kind, employer, project, people), project

    def describe(self, kind, employer, project, people):
        rng = self.rng
        total = sum((c.amount_claimed for c in people), Decimal("0"))
        months = max((c.months_owed or 0) for c in people)
        job = rng.choice(JOBS.get(employer.sector, JOBS["other"]))
        if kind == LD and len(people) >= 10:
            closed = "关停后" if employer.closed_under_policy else ""
            return (
                f"{employer.name}{closed}与我们{len(people)}名职工解除劳动合同，未依法支付经济补偿，"
                f"请求支付经济补偿共计{total:.0f}元。"
            )
        if kind == LD:
            text = rng.choice(LD_CLAIMS).format(amount=f"{people[0].amount_claimed:.0f}")
            return f"申请人共{len(people)}人。{text}" if len(people) > 1 else text
        if len(people) >= 10:
            where = f"在{project}" if project else f"在{employer.name}"
            text = f"我们{len(people)}名工人{where}干活，被拖欠{months}个月工资共约{total:.0f}元，"
            text += "包工头已联系不上，项目部推说工程款没到位。"
        elif employer.closed_under_policy:
            text = f"{employer.name}关停后，拖欠本人{months}个月工资和生活费共{total:.0f}元，至今没有说法。"
        elif project:
            text = f"本人在{project}工地当{job}，{months}个月工资共{total:.0f}元至今未付，多次讨要无果。"
        else:
            text = f"本人在{employer.name}任{job}，单位拖欠{months}个月工资{total:.0f}元，请求责令支付。"
        if rng.random() < 0.05:
            text += rng.choice(DISTRESS)
        return text

    def run_case(self, item):
        scenario = item["scenario"]
        township = item["township"]
        intake_role = "inspector" if scenario.kind == WA else "arbitrator"
        intake = LOCAL_STAFF.get(township.code, {}).get(intake_role, "supervisor")
        actor = None if item["channel"] == Channel.ONLINE else self.users[intake]
        result = filing.complaint_file(
            kind=scenario.kind,
            employer_name=item["employer"].name,
            employer_uscc=item["employer"].uscc,
            employer_address=item["employer"].address,
            township=township,
            claimants=item["claimants"],
            description=item["description"],
            sector=item["employer"].sector,
            project_name=item["project"],
            channel=item["channel"],
            received_at=item["received_at"],
            actor=actor,
            is_demo=True,
        )
        if not result.created:
            raise CommandError(f"demo complaint linked to {result.case.number} as a duplicate")
        case = result.case
        received_on = timezone.localtime(item["received_at"]).date()
        for step in item["steps"]:
            today = min(self.today, received_on + dt.timedelta(days=step.offset))
            username = LOCAL_STAFF.get(township.code, {}).get(step.role, "supervisor")
            act = Act(case=case, today=today, township=township.code)
            data = step.data(act) if callable(step.data) else dict(step.data)
            try:
                case = services.case_transition(
                    case_number=case.number,
                    name=step.name,
                    actor=self.users[username],
                    data=data,
                    today=today,
                )
            except errors.DomainError as error:
                raise CommandError(
                    f"{case.number} ({scenario.key}) {step.name} by {username} on {today}: "
                    f"{error.message} {error.errors}"
                ) from error
        if case.state != scenario.target:
            raise CommandError(
                f"{case.number} ({scenario.key}) ended in {case.state}, not {scenario.target}"
            )

    # summary

    def summary(self, password, generated, url):
        out = self.stdout.write
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
