"""Reference data every installation starts with: roles, townships, statutory periods
and legal parameters, editable in the admin afterwards.

Frozen copy of cases/reference.py as it was when this migration was written (role names
as literals); later migrations (0009, 0015) add the rows that came after.
"""

import datetime as dt

from django.db import migrations

GROUPS = [
    "inspector",
    "mediator",
    "arbitrator",
    "supervisor",
    "screen",
    "administrator",
    "township_reviewer",
    "county_reviewer",
    "finance",
]

# Xiangfen County (141023): 7 towns, 6 townships and the economic development zone.
TOWNSHIPS = [
    ("xincheng", "新城镇"),
    ("zhaokang", "赵康镇"),
    ("fencheng", "汾城镇"),
    ("nanjia", "南贾镇"),
    ("gucheng", "古城镇"),
    ("xiangling", "襄陵镇"),
    ("dengzhuang", "邓庄镇"),
    ("taosi", "陶寺乡"),
    ("yonggu", "永固乡"),
    ("jingmao", "景毛乡"),
    ("xijia", "西贾乡"),
    ("nanxindian", "南辛店乡"),
    ("dadeng", "大邓乡"),
    ("kaifaqu", "经济开发区"),
]

# Laws in force long before the system; the rule's effective date is the law's.
_LSCR = dt.date(2004, 12, 1)  # 劳动保障监察条例 (国务院令423号)
_LDMAL = dt.date(2008, 5, 1)  # 劳动争议调解仲裁法
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
        "supervisor",
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
        "supervisor",
        f"{_LAW}第四十三条（经仲裁委员会主任批准）",
        _LDMAL,
    ),
]

# code, label, value, unit, citation, confirmed, effective from
LEGAL_PARAMETERS = [
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
        "claim_amount_max",
        "单人请求金额上限（超出视为录入错误）",
        2000000,
        "元",
        "系统输入校验 [CONFIG]",
        False,
        _LSCR,
    ),
]


def load(apps, parameters=LEGAL_PARAMETERS) -> None:
    """Create or update the reference rows; safe to run again."""
    Group = apps.get_model("auth", "Group")
    Township = apps.get_model("cases", "Township")
    ClockRule = apps.get_model("cases", "ClockRule")
    LegalParameter = apps.get_model("cases", "LegalParameter")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for order, (code, name) in enumerate(TOWNSHIPS):
        Township.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
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
    for code, label, value, unit, citation, confirmed, since in parameters:
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


def load_reference(apps, schema_editor):
    load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
