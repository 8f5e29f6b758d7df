"""Covering indexes for the staff search by a worker's name (cases.search): the workers
of a name and their cases are read from two indexes alone, not from the rows.

A common two-character name belongs to about 200 workers at a million cases, each on a
page of the workers' table of its own, and each of their claims on a page of the claims'
table of its own: about 400 pages a search, read from disk when not cached. With the
worker's id in the name's index (`cases_person (name) INCLUDE (id)`) and the case in
the claims' index by worker (`cases_claim (person_id) INCLUDE (case_id)`), PostgreSQL
answers both from the indexes (an index-only scan; the workers of one name sit side by
side in theirs). Each replaces the index it extends: the plain name index of cases/0024
and the claims' foreign-key index on the worker, which the covering one serves as well
(a worker's claims, the PROTECT check before a worker is deleted).

On PostgreSQL the indexes are built CONCURRENTLY, outside a transaction (atomic =
False), each before the one it replaces is dropped (as cases/0024 and 0025): a plain
CREATE INDEX would stop every filing's writes while it builds over a million rows.
The name's index stays out of the models' Meta, as the other search indexes of
cases/0024 (PostgreSQL only); SQLite gets the claims' index without its INCLUDE.
"""

from django.db import migrations, models

PERSON_NAME_INDEX = "person_name_id_idx"
PERSON_NAME_INDEX_REPLACED = "person_name_idx"  # cases/0024
CLAIM_PERSON_INDEX = models.Index(
    fields=["person"], include=["case"], name="claim_person_case_idx"
)


def _claim_person_fk_index(schema_editor, claim) -> str:
    """The name Django gave the foreign key's own index (db_index on Claim.person)."""
    return schema_editor._create_index_name(claim._meta.db_table, ["person_id"], suffix="")


def _concurrently_if_not_exists(sql) -> str:
    return str(sql).replace(
        "CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1
    )


def forwards(apps, schema_editor):
    claim = apps.get_model("cases", "Claim")
    replaced = _claim_person_fk_index(schema_editor, claim)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{PERSON_NAME_INDEX}"'
            ' ON "cases_person" ("name") INCLUDE ("id")'
        )
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{PERSON_NAME_INDEX_REPLACED}"')
        schema_editor.execute(
            _concurrently_if_not_exists(
                CLAIM_PERSON_INDEX.create_sql(claim, schema_editor, concurrently=True)
            )
        )
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{replaced}"')
    else:
        schema_editor.add_index(claim, CLAIM_PERSON_INDEX)
        schema_editor.execute(f'DROP INDEX IF EXISTS "{replaced}"')


def backwards(apps, schema_editor):
    claim = apps.get_model("cases", "Claim")
    replaced = _claim_person_fk_index(schema_editor, claim)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{replaced}" ON "cases_claim" ("person_id")'
        )
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{CLAIM_PERSON_INDEX.name}"')
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{PERSON_NAME_INDEX_REPLACED}"'
            ' ON "cases_person" ("name")'
        )
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{PERSON_NAME_INDEX}"')
    else:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{replaced}" ON "cases_claim" ("person_id")'
        )
        schema_editor.execute(f'DROP INDEX IF EXISTS "{CLAIM_PERSON_INDEX.name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0025_event_payment_day_index"),
        ("core", "0002_village"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="claims",
                        to="core.person",
                    ),
                ),
                migrations.AddIndex(model_name="claim", index=CLAIM_PERSON_INDEX),
            ],
        )
    ]
