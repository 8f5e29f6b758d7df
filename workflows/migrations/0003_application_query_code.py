"""Each application gets a query code, so its applicant can follow it without an account.

Adding the column with the callable default would give every existing row the same code
(Django evaluates it once for an AddField), so the column starts empty, each existing
row gets its own code, and only then does the default become the generator.
"""

import secrets

from django.db import migrations, models

# Frozen copy of workflows.models.QUERY_CODE_ALPHABET / LENGTH and new_query_code at the
# time of writing (the field's default; 0005 drops the column).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def backfill(apps, schema_editor):
    Application = apps.get_model("workflows", "SubsidyApplication")
    pks = list(Application.objects.filter(query_code="").values_list("pk", flat=True))
    for start in range(0, len(pks), 1000):
        rows = [Application(pk=pk, query_code=new_query_code()) for pk in pks[start : start + 1000]]
        Application.objects.bulk_update(rows, ["query_code"])


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_policy_data")]

    operations = [
        migrations.AddField(
            model_name="subsidyapplication",
            name="query_code",
            field=models.CharField(default="", max_length=12, verbose_name="查询码"),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subsidyapplication",
            name="query_code",
            field=models.CharField(
                default=new_query_code,
                help_text="申请人凭申请编号和查询码在 /subsidies/status/ 查询进度。",
                max_length=12,
                verbose_name="查询码",
            ),
        ),
    ]
