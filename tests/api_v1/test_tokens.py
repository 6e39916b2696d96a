"""Tokens for apps: they expire, are listed (never their text) and revoked from the API and
from the account page; a session needs CSRF; rates are limited per token and per address."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from knox.models import AuthToken

from tests.api_v1.conftest import PASSWORD, person

pytestmark = pytest.mark.django_db


def token(client, username: str, label: str = "", agent: str = "GeoCivic-Android/1.0") -> str:
    answer = client.post("/api/v1/auth/token", json.dumps(
        {"username": username, "password": PASSWORD, "label": label}),
        content_type="application/json", HTTP_USER_AGENT=agent)  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["expiry"]
    return answer.json()["token"]


def bearer(value: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


def test_tokens_are_listed_without_their_text_and_revoked_by_id(client, reunion_communes):
    person("lea")
    person("marc")
    phone = token(client, "lea", "Mon téléphone")
    script = token(client, "lea", "", "curl/8.0")
    token(client, "marc", "À marc")
    listed = client.get("/api/v1/auth/tokens", **bearer(phone))
    assert listed.status_code == 200 and listed["Cache-Control"] == "private, no-store"
    rows = listed.json()["tokens"]
    assert [r["label"] for r in rows] == ["", "Mon téléphone"]  # newest first, lea's only
    assert rows[0]["user_agent"] == "curl/8.0" and [r["current"] for r in rows] == [False, True]
    assert phone not in listed.content.decode() and script not in listed.content.decode()
    assert phone[:8] not in listed.content.decode()
    marcs = AuthToken.objects.get(user__username="marc").label.pk
    assert client.delete(f"/api/v1/auth/tokens/{marcs}", **bearer(phone)).status_code == 404
    assert client.delete("/api/v1/auth/tokens/x", **bearer(phone)).status_code == 400
    assert client.delete(f"/api/v1/auth/tokens/{rows[0]['id']}", **bearer(phone)).status_code \
        == 204  # fmt: skip
    assert client.get("/api/v1/auth/tokens", **bearer(script)).status_code == 401
    assert client.delete("/api/v1/auth/token", **bearer(phone)).status_code == 204
    assert client.get("/api/v1/auth/tokens", **bearer(phone)).status_code == 401
    assert client.get("/api/v1/auth/tokens").status_code == 401
    assert AuthToken.objects.filter(user__username="marc").count() == 1


def test_an_expired_token_opens_nothing_and_is_not_listed(client, reunion_communes, settings):
    person("lea")
    old = token(client, "lea", "ancien")
    fresh = token(client, "lea", "récent")
    AuthToken.objects.filter(label__label="ancien").update(expiry="2000-01-01T00:00:00Z")
    assert client.get("/api/v1/auth/tokens", **bearer(old)).status_code == 401
    rows = client.get("/api/v1/auth/tokens", **bearer(fresh)).json()["tokens"]
    assert [r["label"] for r in rows] == ["récent"]


def test_the_account_page_lists_and_revokes_tokens_with_csrf(reunion_communes):
    lea = person("lea")
    api = Client()
    phone = token(api, "lea", "Mon téléphone")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lea)
    page = browser.get("/comptes/applications/")
    assert page.status_code == 200 and "Mon téléphone" in page.content.decode()
    assert phone not in page.content.decode()
    row = AuthToken.objects.get(user=lea).label.pk
    assert browser.post("/comptes/applications/", {"revoke": row}).status_code == 403  # no CSRF
    csrf = browser.cookies["csrftoken"].value
    done = browser.post("/comptes/applications/", {"revoke": row, "csrfmiddlewaretoken": csrf})
    assert done.status_code == 302
    assert api.get("/api/v1/auth/tokens", **bearer(phone)).status_code == 401
    assert Client().get("/comptes/applications/").status_code == 302  # to the login page


def test_a_session_writes_to_the_api_only_with_its_csrf_token(reunion_communes):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person("lea"))
    point = {"type": "Point", "coordinates": [55.27, -21.0096]}
    props = {"kind": "project", "name": "Compost"}
    body = json.dumps({"type": "Feature", "geometry": point, "properties": props})
    refused = browser.post("/api/v1/actors", body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.get("/")
    csrf = browser.cookies["csrftoken"].value
    made = browser.post("/api/v1/actors", body, content_type="application/json",
                        HTTP_X_CSRFTOKEN=csrf)  # fmt: skip
    assert made.status_code == 201


def test_rates_are_per_token_and_per_address(client, reunion_communes, settings):
    person("lea")
    first, second = token(client, "lea"), token(client, "lea")
    settings.GEO_CIVIC_THROTTLE_RATES = {**settings.GEO_CIVIC_THROTTLE_RATES, "user": "2/min",
                                         "ip": "5/min"}  # fmt: skip
    statuses = [client.get("/api/v1/categories", **bearer(first)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # Another token of the same person has its own budget…
    assert client.get("/api/v1/categories", **bearer(second)).status_code == 200
    # …but the address's budget is shared by every token and anonymous request from it.
    assert client.get("/api/v1/categories").status_code == 200
    limited = client.get("/api/v1/categories")
    assert limited.status_code == 429 and limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    settings.GEO_CIVIC_THROTTLE = False
    assert client.get("/api/v1/categories", **bearer(first)).status_code == 200
