"""Signing in to ``/api/v1/``: bearer tokens for apps (django-rest-knox, expiring, revocable),
sessions with CSRF for the site, rate limits, the OpenAPI 3.1 document and problem details."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from knox.models import AuthToken

from geo_civic.participation.models import Space
from tests.participation.conftest import PASSWORD, SAINT_PAUL, person, post

pytestmark = pytest.mark.django_db


def token_for(client, username: str, password: str = PASSWORD):
    return post(client, "/api/v1/auth/token", {"username": username, "password": password})


def test_a_token_opens_the_api_and_is_revoked(client, reunion_communes):
    lea = person("lea")
    response = token_for(client, "lea")
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["expiry"]  # tokens expire
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    where = client.put("/api/v1/me/residence", json.dumps({"lon": SAINT_PAUL[0],
                       "lat": SAINT_PAUL[1]}), content_type="application/json", **bearer)
    assert where.status_code == 200  # fmt: skip
    assert lea.residence.commune.code == "97415"
    assert token not in str(AuthToken.objects.values_list("digest", flat=True))  # digest only
    assert client.delete("/api/v1/auth/token", **bearer).status_code == 204
    assert client.get("/api/v1/me/residence", **bearer).status_code == 401
    assert client.get("/api/v1/me/residence",
                      HTTP_AUTHORIZATION="Token whatever").status_code == 401  # fmt: skip


def test_a_wrong_password_is_a_problem(client, reunion_communes):
    person("lea")
    response = token_for(client, "lea", "pas-le-bon")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert set(problem) == {"type", "title", "status", "detail"} and problem["status"] == 401
    assert token_for(client, "lea", None).status_code == 400


def test_a_session_needs_its_csrf_token(reunion_communes):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person("lea"))
    refused = browser.put("/api/v1/me/residence", json.dumps({"lon": 55.27, "lat": -21.0}),
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.get("/")  # the page sets the cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.put("/api/v1/me/residence", json.dumps({"lon": 55.27, "lat": -21.0096}),
                           content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 200  # fmt: skip


def test_rates_are_limited_unless_turned_off(client, reunion_communes, settings):
    settings.GEO_CIVIC_THROTTLE_RATES = {**settings.GEO_CIVIC_THROTTLE_RATES, "anon": "3/min"}
    statuses = [client.get("/api/v1/spaces").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/spaces")
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    settings.GEO_CIVIC_THROTTLE = False
    assert client.get("/api/v1/spaces").status_code == 200


def test_the_api_is_documented_in_openapi_3_1(client, reunion_communes):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"] == "3.1.0"
    for path in ("/api/v1/auth/token", "/api/v1/me/residence", "/api/v1/spaces",
                 "/api/v1/proposals", "/api/v1/proposals/{id}/vote",
                 "/api/v1/proposals/{id}/results", "/api/v1/proposals/{id}/transition"):
        assert path in schema["paths"], path  # fmt: skip


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"commune": "00000", "title": "x", '
                                  '"eligibility": "residents"}', '{"title": "x"}'])
def test_malformed_bodies_are_400_problems(client, reunion_communes, body):
    client.force_login(person("modo", "moderators"))
    response = client.post("/api/v1/spaces", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not Space.objects.exists()


def test_unknown_ids_and_parameters(client, reunion_communes):
    assert client.get("/api/v1/proposals/999999").status_code == 404
    assert client.get("/api/v1/proposals/abc").status_code in (400, 404)
    assert client.get("/api/v1/proposals?status=bogus").status_code == 400
    assert client.get("/api/v1/proposals?colour=red").status_code == 400
    assert client.get("/api/v1/proposals?space=x").status_code == 400
    assert client.get("/api/v1/proposals/").status_code == 404  # no trailing slash
