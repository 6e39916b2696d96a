"""Whatever a client sends to follow and news, a clear 4xx problem, never a 500, nothing written."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_civic.social.models import Follow
from tests.participation.conftest import as_

pytestmark = pytest.mark.django_db

HUGE = 10**30
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-HUGE, max_value=HUGE)
    | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8),
                                                                      children, max_size=3),
    max_leaves=6,
)  # fmt: skip
KEYS = st.sampled_from(["commune", "actor", "space", "proposal", "user", "title", "body",
                        "location", "role", "email"])  # fmt: skip


@pytest.mark.parametrize("url", ["/api/v1/follows", "/api/v1/news",
                                 "/api/v1/actors/1/memberships", "/api/v1/me/profile"])  # fmt: skip
def test_generated_bodies_never_break_the_api(client, roles, url):
    as_(client, roles["moderator"])

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=st.dictionaries(KEYS, JSON, max_size=3) | JSON)
    def check(body):
        method = client.put if url.endswith("profile") else client.post
        answer = method(url, json.dumps(body), content_type="application/json")
        assert answer.status_code < 500, (body, answer.content)
        if answer.status_code >= 400:
            assert answer["Content-Type"] == "application/problem+json"

    check()


@pytest.mark.parametrize("url", [f"/api/v1/follows/{HUGE}", f"/api/v1/news/{HUGE}",
                                 f"/api/v1/actors/{HUGE}/memberships/{HUGE}",
                                 f"/api/v1/feed?cursor={'A' * 5000}", "/api/v1/feed?limit=²",
                                 f"/api/v1/followers?actor={HUGE}", "/api/v1/followers?commune=%00",
                                 f"/actualites/{HUGE}/", "/personnes/%00/"])  # fmt: skip
def test_huge_ids_and_odd_parameters_are_4xx(client, roles, url):
    as_(client, roles["resident"])
    for method in ("get", "delete", "post"):
        answer = getattr(client, method)(url, content_type="application/json")
        assert answer.status_code < 500, (method, url, answer.status_code)
    assert not Follow.objects.exists()
