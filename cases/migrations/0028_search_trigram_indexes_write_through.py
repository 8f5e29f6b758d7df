"""The staff search's trigram indexes (cases/0024) take each new entry into the index
itself at once (fastupdate off), not into a pending list first.

With GIN's default, every worker or employer added and every case updated (a case's
update adds an entry for its project's name whenever it cannot stay on its page,
whatever changed) goes to a pending list of up to 4 MB, which every search reads whole
until a vacuum merges it. On the bench's 1M cases after a few runs of filings the
workers' names had 442 pages of it, and a search by an employer's name took 1.6-2.0x
its time at 10k (docs/performance.md, "Seventh pass"). Filings come at an office's
pace; staff searching should not pay for them. Turning it off leaves the list there:
gin_clean_pending_list merges it now, alongside writes.

PostgreSQL only, as 0024. Not atomic: ALTER INDEX holds its lock on the index for an
instant, not for the merge after it.
"""

from django.db import migrations

INDEXES = ["case_project_trgm_idx", "employer_name_trgm_idx", "person_name_trgm_idx"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'ALTER INDEX "{name}" SET (fastupdate = off)')
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'ALTER INDEX "{name}" RESET (fastupdate)')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0027_scoring_marker")]

    operations = [migrations.RunPython(forwards, backwards)]
