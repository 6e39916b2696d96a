"""The map's JSON endpoints answer as /api/schema/ says, for any input it describes.

Schemathesis generates requests from the one OpenAPI document (the parameters declared with
``web.params.Parameter`` and the filter set's schemas) and checks the answers: never a server
error, only documented status codes and content types, bodies matching their schemas, every
value the schema admits accepted and values it excludes refused. Bounded examples per operation.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.specs.openapi.checks import unsupported_method

from geo_civic.actors.models import Actor, Category
from geo_civic.wsgi import application
from tests.test_api_fuzz import filter_query

schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(
    operation_id=["mapClusters", "places", "nearby", "categories"]
)
FUZZ = hypothesis.settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def data(db, reunion_communes):
    """Actors to find, cluster and count, in a category."""
    Actor.objects.create(kind="place", name="Jardin partagé", point="POINT(55.4481 -20.8789)")
    fete = Actor.objects.create(
        kind="event", name="Fête", point="POINT(55.4482 -20.8790)",
        starts_at="2030-05-01T14:00:00+04:00", tags=["musique"],
    )  # fmt: skip
    fete.categories.add(Category.objects.create(name="Culture", slug="culture"))
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.hooks.apply(filter_query)
@schema.parametrize()
@FUZZ
def test_map_endpoints_follow_the_document(case, data):
    # Category slugs are data: the document points to /api/categories for them (an unknown one
    # is a 400 naming it), so a generated slug becomes the one that exists.
    if case.query and "category" in case.query:
        case.query["category"] = "culture"
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[unsupported_method]
    )
