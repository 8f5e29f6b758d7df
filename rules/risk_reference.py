"""Starting data of the risk rules, loaded by a data migration and editable in the admin."""

import datetime as dt

from rules.reference import rule_model

# Words workers use when a dispute may turn into a mass incident (points, human review).
DISTRESS_WORDS = ["塔吊", "堵路", "集体上访", "拉横幅", "进京", "围堵", "静坐"]

# A threat of self-harm or of extreme action: red at once, from any number of workers,
# and flagged for human review (docs/domain.md's risk table).
THREAT_WORDS = [
    "跳楼",
    "跳河",
    "自杀",
    "自焚",
    "轻生",
    "寻死",
    "不想活了",
    "喝药",
    "喝农药",
    "服毒",
    "割腕",
    "上吊",
    "同归于尽",
    "爬塔吊",
]

# Words that say the workers are already at a petition office (red regardless). A
# threat to petition ("要集体上访") is a distress word instead.
PETITION_WORDS = ["信访局", "信访办", "信访大厅", "信访部门", "已上访", "已经上访", "正在上访"]

# First day of the lunar year (春节); the Lantern Festival is 14 days later.
SPRING_FESTIVALS = {
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}


def load(apps) -> None:
    RiskRuleSet = rule_model(apps, "RiskRuleSet", "notifications")
    RiskKeyword = rule_model(apps, "RiskKeyword", "notifications")
    SpringFestival = rule_model(apps, "SpringFestival", "notifications")
    if not RiskRuleSet.objects.exists():
        RiskRuleSet.objects.create(version=1, note="初始规则（docs/domain.md 风险评分表）")
    for word in DISTRESS_WORDS:
        RiskKeyword.objects.get_or_create(word=word, defaults={"kind": "distress"})
    for word in THREAT_WORDS:
        RiskKeyword.objects.get_or_create(word=word, defaults={"kind": "threat"})
    for word in PETITION_WORDS:
        RiskKeyword.objects.get_or_create(word=word, defaults={"kind": "petition"})
    for year, day in SPRING_FESTIVALS.items():
        SpringFestival.objects.get_or_create(year=year, defaults={"date": day})
