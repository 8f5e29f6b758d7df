"""The staff search's trigram indexes take new entries at once, with no pending list
for a search to read (migration cases/0028), and that migration applies and reverts."""

import pytest
from django.db import connection

from tests.migration_support import migrate

BEFORE = ("cases", "0027_scoring_marker")
AFTER = ("cases", "0028_search_trigram_indexes_write_through")
TRIGRAM_INDEXES = ["case_project_trgm_idx", "employer_name_trgm_idx", "person_name_trgm_idx"]


def options() -> dict[str, list[str] | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            [TRIGRAM_INDEXES],
        )
        return dict(cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_trigram_indexes_write_through_and_the_migration_reverts(migrated_back_to_the_latest):
    assert options() == {name: ["fastupdate=off"] for name in TRIGRAM_INDEXES}

    migrate(BEFORE)
    assert options() == {name: None for name in TRIGRAM_INDEXES}

    migrate(AFTER)
    assert options() == {name: ["fastupdate=off"] for name in TRIGRAM_INDEXES}
