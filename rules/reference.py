"""The statutory periods and legal figures every installation starts with. Loaded by a
data migration; editable in the admin afterwards.

Figures marked confirmed=False are [CONFIG] defaults nobody has confirmed for Shanxi /
Xiangfen yet; the admin shows them as such.
"""

import datetime as dt

SUPERVISOR = "supervisor"  # core.roles.SUPERVISOR: who approves an extension

# Laws in force long before the system; the rule's effective date is the law's.
_LSCR = dt.date(2004, 12, 1)  # 劳动保障监察条例 (国务院令423号)
_LDMAL = dt.date(2008, 5, 1)  # 劳动争议调解仲裁法
# The national wage-arrears clue platform's handling limits; the warning lead is the
# county's choice [CONFIG].
_PLATFORM = dt.date(2021, 1, 1)
PLATFORM_CLUE_WARN = "platform_clue_warn_working_days"
_RULES33 = dt.date(2017, 7, 1)  # 劳动人事争议仲裁办案规则 (人社部令33号)

_REG = "《劳动保障监察条例》"
_PROV = "《关于实施〈劳动保障监察条例〉若干规定》(劳社部令25号)"
_LAW = "《劳动争议调解仲裁法》"

# stage, label, days, day kind, approver role, citation, effective from
CLOCK_RULES = [
    ("acceptance_inspection", "监察立案审查", 5, "working", "", f"{_PROV}第十八条", _LSCR),
    ("investigation", "监察调查办结", 60, "working", "", f"{_REG}第十七条", _LSCR),
    (
        "investigation_extension",
        "监察调查延长",
        30,
        "working",
        SUPERVISOR,
        f"{_REG}第十七条",
        _LSCR,
    ),
    ("acceptance_dispute", "仲裁受理审查", 5, "calendar", "", f"{_LAW}第二十九条", _LDMAL),
    ("mediation", "调解期限", 15, "calendar", "", f"{_LAW}第十四条", _LDMAL),
    ("tribunal_notice", "组庭通知", 5, "calendar", "", f"{_LAW}第三十二条", _LDMAL),
    ("award", "仲裁裁决", 45, "calendar", "", f"{_LAW}第四十三条", _LDMAL),
    (
        "award_extension",
        "仲裁审理延长",
        15,
        "calendar",
        SUPERVISOR,
        f"{_LAW}第四十三条（经仲裁委员会主任批准）",
        _LDMAL,
    ),
]

# code, label, value, unit, citation, confirmed, effective from
LEGAL_PARAMETERS = [
    (
        "employment_services_due_days",
        "1+3+1服务（1次就业指导、3次岗位推荐、1次培训推荐）应在进入台账后完成的天数",
        30,
        "天",
        "襄汾县稳就业实施方案 三(四)12 [CONFIG]",
        False,
        dt.date(2024, 2, 1),
    ),
    ("inspectors_min", "调查监察员最少人数", 2, "人", f"{_REG}第十六条", True, _LSCR),
    (
        "crime_single_months",
        "拒不支付罪：单人欠薪月数",
        3,
        "月",
        "法释〔2013〕3号第三条",
        True,
        dt.date(2013, 1, 23),
    ),
    (
        "crime_single_amount",
        "拒不支付罪：单人欠薪金额（5000-20000区间内山西标准）",
        5000,
        "元",
        "法释〔2013〕3号第三条；山西省具体标准待确认 [CONFIG]",
        False,
        dt.date(2013, 1, 23),
    ),
    (
        "crime_collective_workers",
        "拒不支付罪：欠薪人数",
        10,
        "人",
        "法释〔2013〕3号第三条",
        True,
        dt.date(2013, 1, 23),
    ),
    (
        "crime_collective_amount",
        "拒不支付罪：累计金额（30000-100000区间内山西标准）",
        30000,
        "元",
        "法释〔2013〕3号第三条；山西省具体标准待确认 [CONFIG]",
        False,
        dt.date(2013, 1, 23),
    ),
    ("collective_min_claimants", "集体案件最少人数", 10, "人", f"{_LAW}第七条", True, _LDMAL),
    ("representatives_min", "集体案件代表人最少", 3, "人", "人社部令33号第五条", True, _RULES33),
    ("representatives_max", "集体案件代表人最多", 5, "人", "人社部令33号第五条", True, _RULES33),
    (
        "duplicate_window_days",
        "重复投诉识别期",
        90,
        "日",
        "本县受理规则：同一劳动者对同一单位90日内的投诉并入在办案件",
        True,
        _LSCR,
    ),
    (
        "minimum_monthly_wage",
        "襄汾县月最低工资标准",
        1880,
        "元",
        "山西省最低工资标准（襄汾县所属档次待确认）[CONFIG]",
        False,
        dt.date(2023, 1, 1),
    ),
    (
        "final_award_wage_multiple",
        "一裁终局：最低工资倍数",
        12,
        "倍",
        f"{_LAW}第四十七条",
        True,
        _LDMAL,
    ),
    (
        "hearing_notice_min_days",
        "开庭通知最少提前天数",
        5,
        "日",
        f"{_LAW}第三十五条",
        True,
        _LDMAL,
    ),
    (
        "postponement_request_min_days",
        "延期开庭申请最迟提前天数",
        3,
        "日",
        f"{_LAW}第三十五条",
        True,
        _LDMAL,
    ),
    (
        "additional_compensation_min_percent",
        "加付赔偿金最低比例",
        50,
        "%",
        "《劳动合同法》第八十五条；" + f"{_REG}第二十六条",
        True,
        _LSCR,
    ),
    (
        "additional_compensation_max_percent",
        "加付赔偿金最高比例",
        100,
        "%",
        "《劳动合同法》第八十五条；" + f"{_REG}第二十六条",
        True,
        _LSCR,
    ),
    (
        "limitation_months_wage_arrears",
        "监察时效（月）：超过即不再查处，也不能补录更早的收到时间",
        24,
        "月",
        f"{_REG}第二十条",
        True,
        _LSCR,
    ),
    (
        "limitation_months_labor_dispute",
        "仲裁时效（月）：不能补录更早的收到时间",
        12,
        "月",
        f"{_LAW}第二十七条",
        True,
        _LDMAL,
    ),
    (
        "backdate_tolerance_days",
        "补录收到时间：超过该天数须填写原因",
        3,
        "日",
        "本县录入规则：早于录入日的收到时间须说明原因 [CONFIG]",
        False,
        _LSCR,
    ),
    (
        "claim_amount_max",
        "单人请求金额上限（超出视为录入错误）",
        2000000,
        "元",
        "系统输入校验 [CONFIG]",
        False,
        _LSCR,
    ),
    (
        "anonymous_claimants_max",
        "网上投诉每次最多请求人数（更多人的集体投诉由工作人员录入）",
        30,
        "人",
        "系统输入校验 [CONFIG]",
        False,
        _LSCR,
    ),
    (
        PLATFORM_CLUE_WARN,
        "国家平台线索：办理期限前几个工作日预警",
        3,
        "个工作日",
        "国家欠薪线索反映平台办理时限",
        False,
        _PLATFORM,
    ),
]


def rule_model(apps, name: str, before: str):
    """A rule table's model: in the rules app, or in the app that had it before rules 0001
    (data migrations that ran before the move call the loaders with their own `apps`)."""
    try:
        return apps.get_model("rules", name)
    except LookupError:
        return apps.get_model(before, name)


def load(apps) -> None:
    """Create the clock rules and legal parameters that are missing; safe to run again."""
    ClockRule = rule_model(apps, "ClockRule", "cases")
    LegalParameter = rule_model(apps, "LegalParameter", "cases")
    for stage, label, days, kind, approver, citation, since in CLOCK_RULES:
        ClockRule.objects.get_or_create(
            stage=stage,
            effective_from=since,
            defaults={
                "label": label,
                "days": days,
                "day_kind": kind,
                "approver_role": approver,
                "citation": citation,
            },
        )
    for code, label, value, unit, citation, confirmed, since in LEGAL_PARAMETERS:
        LegalParameter.objects.get_or_create(
            code=code,
            effective_from=since,
            defaults={
                "label": label,
                "value": value,
                "unit": unit,
                "citation": citation,
                "confirmed": confirmed,
            },
        )
    listing_criteria_load(apps)


# --- the conditions of the enforcement lists (rules.models.ListingCriterion) ----------------

_ORDER45 = "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》(人社部令第45号)"
_ORDER29 = "《重大劳动保障违法行为社会公布办法》(人社部令第29号)"
_SINCE45 = dt.date(2022, 1, 1)
_SINCE29 = dt.date(2017, 1, 1)

# listing, condition, group, amount, citation, confirmed, effective from
LISTING_CRITERIA = [
    ("blacklist", "order_ignored", 1, None, f"{_ORDER45}第五条", True, _SINCE45),
    ("blacklist", "wage_refusal_amount", 2, None, f"{_ORDER45}第五条第（一）项", True, _SINCE45),
    ("blacklist", "incident", 2, None, f"{_ORDER45}第五条第（二）项", True, _SINCE45),
    ("publication", "blacklisted", 1, None, f"{_ORDER29}第五条 [CONFIG]", False, _SINCE29),
    ("publication", "transferred_police", 1, None, f"{_ORDER29}第五条第（二）项", True, _SINCE29),
    (
        "publication",
        "amount_over",
        1,
        100000,
        f"{_ORDER29}第五条第（一）项；“数额较大”的本县标准待确认 [CONFIG]",
        False,
        _SINCE29,
    ),
]

# code, label, value, unit, citation, confirmed, effective from (loaded with LEGAL_PARAMETERS)
LEGAL_PARAMETERS += [
    (
        "blacklist_listing_years",
        "失信联合惩戒名单列入期限",
        3,
        "年",
        f"{_ORDER45}（列入期限3年）",
        True,
        _SINCE45,
    ),
    (
        "publication_names_responsible_person",
        "社会公布：公布法定代表人或负责人姓名（1公布，0不公布）",
        1,
        "",
        f"{_ORDER29}第六条",
        True,
        _SINCE29,
    ),
]


def listing_criteria_load(apps) -> None:
    """Create the listing conditions that are missing; safe to run again."""
    try:
        ListingCriterion = apps.get_model("rules", "ListingCriterion")
    except LookupError:  # an old migration's state, before the table existed
        return
    for listing, condition, group, amount, citation, confirmed, since in LISTING_CRITERIA:
        ListingCriterion.objects.get_or_create(
            listing=listing,
            condition=condition,
            effective_from=since,
            defaults={
                "group": group,
                "amount": amount,
                "citation": citation,
                "confirmed": confirmed,
            },
        )
