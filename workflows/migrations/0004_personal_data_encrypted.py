"""Beneficiaries' and individual applicants' ID numbers encrypted at rest (cases/pii.py),
with a blind index for the double-payment check. Same steps as cases 0005: the clear
columns are renamed aside, copied into the encrypted ones in batches, then dropped.
Forward only."""

from django.db import migrations, models

from cases.migrations import _frozen


def encrypt_existing(apps, schema_editor):
    _frozen.encrypt_existing_rows(
        apps.get_model("workflows", "SubsidyBeneficiary"),
        {"id_number": "id_number_plain"},
        index="id_number_index",
    )
    _frozen.encrypt_existing_rows(
        apps.get_model("workflows", "SubsidyApplication"),
        {"applicant_id_number": "applicant_id_number_plain"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_personal_data_encrypted"),
        ("workflows", "0003_application_query_code"),
    ]

    operations = [
        migrations.RenameField("subsidybeneficiary", "id_number", "id_number_plain"),
        migrations.RenameField(
            "subsidyapplication", "applicant_id_number", "applicant_id_number_plain"
        ),
        migrations.AddField(
            model_name="subsidybeneficiary",
            name="id_number",
            field=_frozen.EncryptedTextField(default="", verbose_name="身份证号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="subsidybeneficiary",
            name="id_number_index",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="subsidyapplication",
            name="applicant_id_number",
            field=_frozen.EncryptedTextField(
                blank=True,
                default="",
                validators=[_frozen.validate_ric],
                verbose_name="申请人身份证号",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_existing, elidable=False),
        migrations.RemoveField("subsidybeneficiary", "id_number_plain"),
        migrations.RemoveField("subsidyapplication", "applicant_id_number_plain"),
        migrations.AlterField(
            model_name="subsidybeneficiary",
            name="id_number",
            field=_frozen.EncryptedTextField(
                validators=[_frozen.validate_ric], verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="subsidybeneficiary",
            name="id_number_index",
            field=_frozen.BlindIndexField(
                db_index=True,
                editable=False,
                max_length=64,
                source="id_number",
                verbose_name="身份证号索引",
            ),
        ),
    ]
