"""A blind index of each worker's phone, so staff can find a worker by phone.

The index is filled for the existing rows from their decrypted phones (the index key is
the one ID numbers use, settings.LABORCASE_PII_INDEX_KEY). Going back drops the column.
"""

from django.db import migrations

from cases.migrations import _frozen

BATCH = 1000


def index_existing_phones(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    rows = []
    for person in Person.objects.order_by("pk").only("pk", "phone").iterator(chunk_size=BATCH):
        person.phone_index = _frozen.blind_index(person.phone) if person.phone else ""
        rows.append(person)
        if len(rows) == BATCH:
            Person.objects.bulk_update(rows, ["phone_index"])
            rows = []
    Person.objects.bulk_update(rows, ["phone_index"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_case_origin_and_own_initiative_channels")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="phone_index",
            field=_frozen.BlindIndexField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                source="phone",
                verbose_name="手机号索引",
            ),
        ),
        migrations.RunPython(index_existing_phones, migrations.RunPython.noop, elidable=False),
    ]
