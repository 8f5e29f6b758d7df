"""The subsidy policy table every installation starts with (loaded by a data migration,
editable in the admin afterwards).

Source: 襄政发〔2024〕2号《襄汾县稳就业保就业工作方案》(2024-02-01) 三(三) items 5-7, in
force from the plan's issue date until 2028-01-10 (the plan's closing paragraph). Figures the plan does not give are [CONFIG] defaults
(confirmed=False): the admin lists them as unconfirmed until someone checks them.
"""

import datetime as dt

from rules.reference import rule_model

PLAN = "襄政发〔2024〕2号《襄汾县稳就业保就业工作方案》"
FROM = dt.date(2024, 2, 1)
TO = dt.date(2028, 1, 10)
CONFIG = "本县标准待确认 [CONFIG]"

ENTERPRISE, AGENCY, INDIVIDUAL = "enterprise", "agency", "individual"
SMALL_OR_MICRO = ["micro", "small"]

# code, name, applicant kinds, applicant sizes, rule text, citation item,
# parameters: (key, label, value, unit, confirmed, note)
POLICIES = [
    (
        "post",
        "岗位补贴",
        [ENTERPRISE],
        SMALL_OR_MICRO,
        "对新招用就业困难人员并签订1年以上劳动合同的小微企业，给予每人每月300元、最多三年的岗位补贴。",
        "三（三）5",
        [
            ("monthly_amount", "补贴标准", 300, "元/人/月", True, ""),
            ("max_months", "每人最长享受期限", 36, "月", True, "最多三年"),
            ("min_contract_months", "劳动合同最短期限", 12, "月", True, "1年以上劳动合同"),
        ],
    ),
    (
        "absorption",
        "一次性吸纳就业补贴",
        [ENTERPRISE],
        SMALL_OR_MICRO,
        "对年度内新吸纳各类劳动者且稳定就业半年以上的小微企业给予补贴，新吸纳100人以下的每人1000元，"
        "新吸纳100人（含）以上的每人1500元。",
        "三（三）5",
        [
            ("amount_below_threshold", "新吸纳不足100人时的标准", 1000, "元/人", True, ""),
            ("amount_at_threshold", "新吸纳100人（含）以上时的标准", 1500, "元/人", True, ""),
            ("threshold_count", "提高标准的人数界限（含）", 100, "人", True, ""),
            ("min_stable_months", "稳定就业最短期限", 6, "月", True, "稳定就业半年以上"),
        ],
    ),
    (
        "social_insurance",
        "社会保险补贴",
        [ENTERPRISE, AGENCY],
        [],
        "对用人单位招用就业困难人员、小微企业招用毕业年度和毕业2年内高校毕业生，与之签订1年以上劳动合同"
        "并足额为其缴纳社会保险费的，给予社会保险补贴（按单位实际缴纳的社会保险费）。",
        "三（三）5",
        [
            ("min_contract_months", "劳动合同最短期限", 12, "月", True, "1年以上劳动合同"),
            ("graduate_years", "高校毕业生：毕业后年数（含毕业年度）", 2, "年", True, "毕业2年内"),
        ],
    ),
    (
        "job_placement",
        "职业介绍补贴",
        [AGENCY],
        [],
        "鼓励经营性人力资源服务机构开展公益性就业服务或有组织劳务输出，根据输出地和实际就业人数，"
        "给予最高每人800元的职业介绍补贴。",
        "三（三）7",
        [
            ("max_per_person", "每人最高标准", 800, "元/人", True, ""),
            ("rate:in_county", "县内就业", 300, "元/人", False, CONFIG),
            ("rate:in_province", "省内县外就业", 500, "元/人", False, CONFIG),
            ("rate:out_of_province", "省外就业", 800, "元/人", False, CONFIG),
        ],
    ),
    (
        "startup",
        "一次性创业补贴",
        [INDIVIDUAL, ENTERPRISE],
        SMALL_OR_MICRO,
        "对符合条件的创业人员，落实一次性创业补贴。每人只享受一次。",
        "三（三）6",
        [("amount_per_person", "补贴标准", 5000, "元/人", False, CONFIG)],
    ),
    (
        "rent",
        "创业场地租赁补贴",
        [INDIVIDUAL, ENTERPRISE],
        SMALL_OR_MICRO,
        "对符合条件的创业人员，落实创业场地租赁补贴：按实际支付的租金补贴，不超过每月上限，"
        "累计不超过最长期限。",
        "三（三）6",
        [
            ("monthly_cap", "每月补贴上限", 500, "元/月", False, CONFIG),
            ("max_months", "最长补贴期限", 36, "月", False, CONFIG),
        ],
    ),
    (
        "startup_loan",
        "创业担保贷款",
        [INDIVIDUAL, ENTERPRISE],
        SMALL_OR_MICRO,
        "对符合条件的个人提供最高30万元的创业担保贷款；对符合条件的小微企业，根据企业实际吸纳就业人数，"
        "提供最高300万元创业担保贷款。",
        "三（三）6",
        [
            ("individual_max", "个人贷款最高额度", 300000, "元", True, ""),
            ("enterprise_max", "小微企业贷款最高额度", 3000000, "元", True, ""),
            (
                "enterprise_per_person",
                "小微企业按实际吸纳就业人数：每人额度",
                100000,
                "元/人",
                False,
                CONFIG,
            ),
        ],
    ),
]

# The fund each policy is paid from (rules.models.FundingSource), by the policy's
# nature; the plan does not name them, so the county confirms them in the admin.
# Subsidies to employers for hiring the hard-to-employ, social insurance, placement
# services and start-ups are the uses of 就业补助资金 (财社〔2017〕164号); the one-off
# hiring subsidy is the unemployment insurance fund's job-stabilising spending; the
# premises rent is the county's own; the start-up loan is the guarantee fund's, with
# its interest subsidy.
FUNDING = {
    "post": "employment_fund",
    "absorption": "unemployment_insurance",
    "social_insurance": "employment_fund",
    "job_placement": "employment_fund",
    "startup": "employment_fund",
    "rent": "local_budget",
    "startup_loan": "loan_guarantee",
}

# Every policy: the public notice before payment [CONFIG 5 working days].
NOTICE = ("notice_working_days", "公示期", 5, "工作日", False, "公示5个工作日 " + CONFIG)


def load(apps) -> None:
    """Create the policy versions of the plan and their parameters; safe to run again."""
    Policy = rule_model(apps, "SubsidyPolicy", "workflows")
    Parameter = rule_model(apps, "PolicyParameter", "workflows")
    funded = any(f.name == "funding_source" for f in Policy._meta.get_fields())
    for code, name, kinds, sizes, text, item, parameters in POLICIES:
        policy, _ = Policy.objects.get_or_create(
            code=code,
            effective_from=FROM,
            defaults={
                "name": name,
                "applicant_kinds": kinds,
                "applicant_sizes": sizes,
                "rule_text": text,
                "citation": f"{PLAN}三、工作措施{item}；执行期限至2028年1月10日",
                "effective_to": TO,
                # Migrations before rules 0003 call this with a model that lacks it.
                **({"funding_source": FUNDING[code]} if funded else {}),
            },
        )
        for key, label, value, unit, confirmed, note in [*parameters, NOTICE]:
            Parameter.objects.get_or_create(
                policy=policy,
                key=key,
                defaults={
                    "label": label,
                    "value": value,
                    "unit": unit,
                    "confirmed": confirmed,
                    "note": note,
                },
            )
