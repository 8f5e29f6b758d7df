"""Indexes for the staff search (cases.search): trigram indexes for the texts searched
by any part of them (the project, the employer's name, the worker's name); a plain
index for a worker's whole name (a two-character name has no trigram) and for the
beginning of a case number. A trigram index does not suit case numbers: every number
shares "XF-", the year and runs of zeros, so a lookup read most of the index. The ID
number and the phone are found through their blind indexes, which are indexed already.

PostgreSQL only (pg_trgm, GIN). The expressions are the ones Django's `icontains` and `istartswith`
compare (`UPPER(column::text) LIKE UPPER(pattern)`), so the planner can use the indexes
for them (text_pattern_ops: a LIKE prefix in any collation).
Built CONCURRENTLY outside a transaction (atomic = False): a plain CREATE INDEX would
stop every write to cases for the minute it takes at a million cases. SQLite
(development) keeps its plain scans. The indexes are not in the models' Meta: Django
would try to build GIN indexes on SQLite too.
"""

from django.db import migrations

INDEXES = [
    ("case_number_prefix_idx", "cases_case", '(UPPER("number"::text) text_pattern_ops)'),
    ("case_project_trgm_idx", "cases_case", 'USING gin ((UPPER("project_name"::text)) gin_trgm_ops)'),
    ("employer_name_trgm_idx", "cases_employer", 'USING gin ((UPPER("name"::text)) gin_trgm_ops)'),
    ("person_name_trgm_idx", "cases_person", 'USING gin ((UPPER("name"::text)) gin_trgm_ops)'),
    ("person_name_idx", "cases_person", '("name")'),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, definition in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" {definition}'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _definition in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0023_event_transition_covering_index"),
        ("core", "0002_village"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
