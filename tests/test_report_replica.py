"""Report reads go to the read replica when one is configured, and nothing else does."""

import copy

import pytest
from django.conf import settings
from django.test import override_settings

from cases.models import Case
from config.db_router import ReportReplicaRouter, report_database, report_reads

router = ReportReplicaRouter()
# The router reads settings.DATABASES when asked; no connection to "replica" is opened.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def with_replica():
    databases = copy.deepcopy(settings.DATABASES)
    databases["replica"] = {**databases["default"], "TEST": {"MIRROR": "default"}}
    return override_settings(DATABASES=databases)


def test_it_reads_reports_from_the_replica():
    with with_replica(), report_reads():
        assert router.db_for_read(Case) == "replica"
        assert report_database() == "replica"


def test_it_reads_everything_else_from_the_primary():
    with with_replica():
        assert router.db_for_read(Case) is None
        assert report_database() == "default"


def test_it_writes_to_the_primary_even_inside_a_report():
    with with_replica(), report_reads():
        assert router.db_for_write(Case) == "default"


def test_it_reads_the_primary_when_there_is_no_replica():
    with report_reads():
        assert router.db_for_read(Case) is None
        assert report_database() == "default"


def test_it_never_migrates_the_replica():
    assert router.allow_migrate("replica", "cases") is False
    assert router.allow_migrate("default", "cases") is True
