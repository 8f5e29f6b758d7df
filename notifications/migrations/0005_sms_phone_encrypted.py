"""SMS records keep the phone number encrypted (cases/pii.py), like the claimant's own.

As cases 0005: the clear column is renamed aside, copied into the encrypted one in
batches, then dropped. Forward only.
"""

from django.db import migrations

import cases.pii

BATCH = 1000


def encrypt_existing(apps, schema_editor):
    SmsMessage = apps.get_model("notifications", "SmsMessage")
    batch = []
    for message in SmsMessage.objects.order_by("pk").iterator(chunk_size=BATCH):
        message.phone = message.phone_plain
        batch.append(message)
        if len(batch) == BATCH:
            SmsMessage.objects.bulk_update(batch, ["phone"])
            batch = []
    SmsMessage.objects.bulk_update(batch, ["phone"])


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
            field=cases.pii.EncryptedTextField(default="", verbose_name="手机号"),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_existing, elidable=False),
        migrations.RemoveField("smsmessage", "phone_plain"),
    ]
