"""The Bearer authentication reads the token and its user in one query (geo_civic/api_v1/bearer.py):
an expired token still opens nothing and is deleted when presented, and a person's other expired
tokens, no longer swept on every request, go when they make a new one."""

from __future__ import annotations

import pytest
from knox.models import AuthToken

from tests.api_v1.conftest import person
from tests.api_v1.test_tokens import bearer, token

pytestmark = pytest.mark.django_db


def test_an_expired_token_is_refused_and_deleted_when_presented(client, reunion_communes):
    person("lea")
    old = token(client, "lea", "ancien")
    AuthToken.objects.filter(label__label="ancien").update(expiry="2000-01-01T00:00:00Z")
    assert client.get("/api/v1/auth/tokens", **bearer(old)).status_code == 401
    assert not AuthToken.objects.filter(label__label="ancien").exists()


def test_other_expired_tokens_go_when_a_new_one_is_made(client, reunion_communes):
    person("lea")
    fresh = token(client, "lea", "récent")
    token(client, "lea", "ancien")
    AuthToken.objects.filter(label__label="ancien").update(expiry="2000-01-01T00:00:00Z")
    # Using another token no longer sweeps it (one query a request) …
    assert client.get("/api/v1/auth/tokens", **bearer(fresh)).status_code == 200
    assert AuthToken.objects.filter(label__label="ancien").exists()
    # … making a new token does.
    token(client, "lea", "nouveau")
    kept = AuthToken.objects.filter(user__username="lea")
    labels = set(kept.values_list("label__label", flat=True))
    assert labels == {"récent", "nouveau"}
