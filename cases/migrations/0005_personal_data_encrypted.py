"""ID numbers and phones move from clear text to Fernet tokens plus a blind index.

The clear columns are renamed aside, the encrypted ones filled in batches, then the clear
ones dropped, so no clear copy stays behind. Forward only: going back would write the
numbers out in clear again, which is exactly what this removes.
"""

from django.db import migrations, models

from cases.migrations import _frozen


def encrypt_existing(apps, schema_editor):
    _frozen.encrypt_existing_rows(
        apps.get_model("cases", "Person"),
        {"id_number": "id_number_plain", "phone": "phone_plain"},
        index="id_number_index",
    )
    _frozen.encrypt_existing_rows(apps.get_model("cases", "StaffProfile"), {"phone": "phone_plain"})


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_event_hash_chain")]

    operations = [
        migrations.RenameField("person", "id_number", "id_number_plain"),
        migrations.RenameField("person", "phone", "phone_plain"),
        migrations.RenameField("staffprofile", "phone", "phone_plain"),
        migrations.AddField(
            model_name="person",
            name="id_number",
            field=_frozen.EncryptedTextField(default="", verbose_name="身份证号"),
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
            field=_frozen.EncryptedTextField(blank=True, default="", verbose_name="手机号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="staffprofile",
            name="phone",
            field=_frozen.EncryptedTextField(blank=True, default="", verbose_name="电话"),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_existing, elidable=False),
        migrations.RemoveField("person", "id_number_plain"),
        migrations.RemoveField("person", "phone_plain"),
        migrations.RemoveField("staffprofile", "phone_plain"),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=_frozen.EncryptedTextField(
                validators=[_frozen.validate_ric], verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_index",
            field=_frozen.BlindIndexField(
                editable=False,
                max_length=64,
                source="id_number",
                unique=True,
                verbose_name="身份证号索引",
            ),
        ),
    ]
