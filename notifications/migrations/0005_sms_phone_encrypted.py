"""SMS records keep the phone number encrypted (cases/pii.py), like the claimant's own.

As cases 0005: the clear column is renamed aside, copied into the encrypted one in
batches, then dropped. Forward only.
"""

from django.db import migrations

from cases.migrations import _frozen


def encrypt_existing(apps, schema_editor):
    _frozen.encrypt_existing_rows(
        apps.get_model("notifications", "SmsMessage"), {"phone": "phone_plain"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_personal_data_encrypted"),
        ("notifications", "0004_summary_tallies"),
    ]

    operations = [
        migrations.RenameField("smsmessage", "phone", "phone_plain"),
        migrations.AddField(
            model_name="smsmessage",
            name="phone",
            field=_frozen.EncryptedTextField(default="", verbose_name="手机号"),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_existing, elidable=False),
        migrations.RemoveField("smsmessage", "phone_plain"),
    ]
