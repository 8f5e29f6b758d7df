"""Beneficiaries' and individual applicants' ID numbers encrypted at rest (cases/pii.py),
with a blind index for the double-payment check. Same steps as cases 0005: the clear
columns are renamed aside, copied into the encrypted ones in batches, then dropped.
Forward only."""

from django.db import migrations, models

import cases.pii
import cases.validators

BATCH = 1000


def encrypt_existing(apps, schema_editor):
    from cases import pii

    for model_name, renamed, indexed in (
        ("SubsidyBeneficiary", {"id_number": "id_number_plain"}, True),
        ("SubsidyApplication", {"applicant_id_number": "applicant_id_number_plain"}, False),
    ):
        model = apps.get_model("workflows", model_name)
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
            field=cases.pii.EncryptedTextField(default="", verbose_name="身份证号"),
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
            field=cases.pii.EncryptedTextField(
                blank=True,
                default="",
                validators=[cases.validators.validate_ric],
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
            field=cases.pii.EncryptedTextField(
                validators=[cases.validators.validate_ric], verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="subsidybeneficiary",
            name="id_number_index",
            field=cases.pii.BlindIndexField(
                db_index=True,
                editable=False,
                max_length=64,
                source="id_number",
                verbose_name="身份证号索引",
            ),
        ),
    ]
