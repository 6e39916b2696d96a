"""Schemathesis drives every operation of the published OpenAPI document with generated input.

Whatever a client sends, the API answers as its schema says, and never with a 500; and every
value the schema admits is accepted (``positive_data_acceptance``): the parameter schemas say
exactly what the server checks, collection by collection (``datetime`` on dated ones only).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import unsupported_method

from geo_civic.wsgi import application

schema = schemathesis.openapi.from_wsgi("/ogc/api", application)


def filter_query(ctx, query) -> bool:
    """A bbox with its corners in order and latitudes in -90..90: JSON Schema cannot relate an
    array's items to each other, so the document says it in words and this says it to the
    generator. Every other parameter is generated from its schema alone."""
    bbox = (query or {}).get("bbox")
    if isinstance(bbox, str):
        bbox = bbox.split(",")
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return True  # not four numbers: a negative case, which the server must reject
    return west <= east and -90 <= south <= north <= 90


@pytest.fixture
def data(db, reunion_communes):
    from geo_civic.actors.models import Actor

    Actor.objects.create(
        kind="place", name="Jardin <b>partagé</b>", point="POINT(55.4481 -20.8789)"
    )
    Actor.objects.create(
        kind="event",
        name="Fête",
        point="POINT(55.4482 -20.8790)",
        starts_at="2030-05-01T14:00:00+04:00",
    )
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.hooks.apply(filter_query)
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_ogc_api_follows_its_schema_and_never_fails(case, data):
    # Left out: an undeclared method such as QUERY meets Django's CSRF check first (403, not
    # 405). Server errors, status codes, response bodies and the acceptance of every value the
    # schema admits are all checked. The WSGI transport reads bodies as the application sends
    # them and does not undo gzip (geo_civic/compression.py) as an HTTP client would: it asks
    # for the plain representation, which is the one the schema describes.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[unsupported_method]
    )
