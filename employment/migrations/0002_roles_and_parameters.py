import datetime as dt
from decimal import Decimal

from django.db import migrations

# Written out here, not imported: a migration must not change when live code does.
GROUPS = ["employment_steward", "employment_station"]
PARAMETERS = [
    (
        "employment_services_due_days",
        "1+3+1服务（1次就业指导、3次岗位推荐、1次培训推荐）应在进入台账后完成的天数",
        Decimal("30"),
        "天",
        "襄汾县稳就业实施方案 三(四)12 [CONFIG]",
        False,
        dt.date(2024, 2, 1),
    ),
]


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    LegalParameter = apps.get_model("rules", "LegalParameter")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for code, label, value, unit, citation, confirmed, since in PARAMETERS:
        # Left alone when present: the administrator may have set it already.
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


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0001_initial"),
        ("rules", "0002_effective_dated_columns"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
