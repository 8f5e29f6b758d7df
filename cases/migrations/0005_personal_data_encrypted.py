"""ID numbers and phones move from clear text to Fernet tokens plus a blind index.

The clear columns are renamed aside, the encrypted ones filled in batches, then the clear
ones dropped, so no clear copy stays behind. Forward only: going back would write the
numbers out in clear again, which is exactly what this removes.
"""

from django.db import migrations, models

import cases.pii
import cases.validators

BATCH = 1000


def encrypt_existing(apps, schema_editor):
    from cases import pii

    for model_name, renamed in (
        ("Person", {"id_number": "id_number_plain", "phone": "phone_plain"}),
        ("StaffProfile", {"phone": "phone_plain"}),
    ):
        model = apps.get_model("cases", model_name)
        indexed = model_name == "Person"
        fields = [*renamed, *(["id_number_index"] if indexed else [])]
        batch = []
        for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
            for encrypted, plain in renamed.items():
                setattr(row, encrypted, getattr(row, plain))
            if indexed:
                row.id_number_index = pii.blind_index(row.id_number_plain)
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_update(batch, fields)
                batch = []
        model.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_event_hash_chain")]

    operations = [
        migrations.RenameField("person", "id_number", "id_number_plain"),
        migrations.RenameField("person", "phone", "phone_plain"),
        migrations.RenameField("staffprofile", "phone", "phone_plain"),
        migrations.AddField(
            model_name="person",
            name="id_number",
            field=cases.pii.EncryptedTextField(default="", verbose_name="身份证号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="person",
            name="id_number_index",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="person",
            name="phone",
            field=cases.pii.EncryptedTextField(blank=True, default="", verbose_name="手机号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="staffprofile",
            name="phone",
            field=cases.pii.EncryptedTextField(blank=True, default="", verbose_name="电话"),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_existing, elidable=False),
        migrations.RemoveField("person", "id_number_plain"),
        migrations.RemoveField("person", "phone_plain"),
        migrations.RemoveField("staffprofile", "phone_plain"),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=cases.pii.EncryptedTextField(
                validators=[cases.validators.validate_ric], verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_index",
            field=cases.pii.BlindIndexField(
                editable=False,
                max_length=64,
                source="id_number",
                unique=True,
                verbose_name="身份证号索引",
            ),
        ),
    ]
