"""The applicant's query code is stored as a keyed hash (cases/query_codes.py).

Every existing code is hashed in place, so applicants keep the code they were given; the
clear column is then dropped. Not reversible: the codes cannot be recovered.
"""

from django.db import migrations, models

from cases.migrations import _frozen


def hash_codes(apps, schema_editor):
    Application = apps.get_model("workflows", "SubsidyApplication")
    rows = []
    for row in Application.objects.only("pk", "query_code").order_by("pk").iterator():
        row.query_code_hash = _frozen.query_code_hash(row.query_code)
        rows.append(row)
    Application.objects.bulk_update(rows, ["query_code_hash"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_personal_data_encrypted")]

    operations = [
        migrations.AddField(
            model_name="subsidyapplication",
            name="query_code_hash",
            field=models.CharField(
                default="",
                editable=False,
                help_text="申请人凭申请编号和查询码在 /subsidies/status/ 查询进度。",
                max_length=64,
                verbose_name="查询码（哈希）",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(hash_codes, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="subsidyapplication", name="query_code"),
    ]
