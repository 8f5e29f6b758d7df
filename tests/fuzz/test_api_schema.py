"""The OpenAPI schema at /api/schema/ is valid and describes every API route.

The fuzzing next door (test_api_fuzz.py) trusts this schema to know the API; an
operation missing from it would go unfuzzed, and an invalid schema would make the
generated requests meaningless.
"""

import re

import pytest
import schemathesis
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw_schema():
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_it_serves_a_valid_openapi_3_schema(raw_schema):
    assert raw_schema["openapi"].startswith("3.")
    # Raises jsonschema_rs.ValidationError, naming the offending part, if the document
    # does not conform to the OpenAPI 3 meta-schema.
    schemathesis.openapi.from_dict(raw_schema).validate()


def test_drf_spectacular_generates_it_without_warnings(tmp_path):
    # --fail-on-warn turns every "could not resolve ..." guess into a failure;
    # --validate checks the result against the OpenAPI specification as well.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_it_documents_every_api_route(raw_schema):
    documented = set(raw_schema["paths"])
    routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in _routes(get_resolver().url_patterns)
        if route.startswith("api/v1/")
    }
    assert routes - documented == set()
