"""Query codes are stored as a keyed hash (cases/query_codes.py), not in clear.

Every existing code is hashed in place: workers keep using the code they were given. The
clear column is then dropped. Codes cannot be recovered afterwards, so this migration
does not reverse.
"""

from django.db import migrations, models

from cases.migrations import _frozen


def hash_codes(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    rows = []
    for case in Case.objects.only("pk", "query_code").order_by("pk").iterator(chunk_size=1000):
        case.query_code_hash = _frozen.query_code_hash(case.query_code)
        rows.append(case)
        if len(rows) == 1000:
            Case.objects.bulk_update(rows, ["query_code_hash"])
            rows = []
    Case.objects.bulk_update(rows, ["query_code_hash"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_filing_pending_submissions")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="query_code_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="查询码（哈希）"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="case",
            name="query_code_pending",
            field=_frozen.EncryptedTextField(
                blank=True, editable=False, verbose_name="待发送的查询码"
            ),
        ),
        migrations.RunPython(hash_codes, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="case", name="query_code"),
    ]
