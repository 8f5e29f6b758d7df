"""Starting data of the risk rules, editable in the admin afterwards.

Frozen copy of notifications/risk_reference.py as it was when this migration was written
(0007 later made the self-harm words threats).
"""

import datetime as dt

from django.db import migrations

# Words workers use when a dispute may turn into an extreme or mass incident.
DISTRESS_WORDS = [
    "跳楼",
    "塔吊",
    "堵路",
    "集体上访",
    "拉横幅",
    "自杀",
    "进京",
    "同归于尽",
    "喝农药",
    "轻生",
    "围堵",
    "静坐",
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
    RiskRuleSet = apps.get_model("notifications", "RiskRuleSet")
    RiskKeyword = apps.get_model("notifications", "RiskKeyword")
    SpringFestival = apps.get_model("notifications", "SpringFestival")
    if not RiskRuleSet.objects.exists():
        RiskRuleSet.objects.create(version=1, note="初始规则（DOMAIN.md 风险评分表）")
    for word in DISTRESS_WORDS:
        RiskKeyword.objects.get_or_create(word=word, defaults={"kind": "distress"})
    for word in PETITION_WORDS:
        RiskKeyword.objects.get_or_create(word=word, defaults={"kind": "petition"})
    for year, day in SPRING_FESTIVALS.items():
        SpringFestival.objects.get_or_create(year=year, defaults={"date": day})


def load_risk_reference(apps, schema_editor):
    load(apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_risk_and_alerts")]

    operations = [migrations.RunPython(load_risk_reference, migrations.RunPython.noop)]
