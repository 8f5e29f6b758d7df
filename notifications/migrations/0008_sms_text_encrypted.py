"""SMS texts are encrypted at rest (cases/pii.py): a confirmation carries a query code,
which the database otherwise keeps only as a hash. The clear column is renamed aside,
copied into the encrypted one in batches, then dropped (as cases 0005). Forward only."""

from django.db import migrations

from cases.migrations import _frozen


def encrypt_existing(apps, schema_editor):
    _frozen.encrypt_existing_rows(
        apps.get_model("notifications", "SmsMessage"), {"text": "text_plain"}
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_risk_keyword_threats")]

    operations = [
        migrations.RenameField(model_name="smsmessage", old_name="text", new_name="text_plain"),
        migrations.AddField(
            model_name="smsmessage",
            name="text",
            field=_frozen.EncryptedTextField(default="", verbose_name="内容"),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="smsmessage", name="text_plain"),
    ]
