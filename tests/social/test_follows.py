"""Following through the API: what may be followed, by whom, and who can see followers."""

from __future__ import annotations

import pytest

from geo_civic.social.models import Follow, Profile
from tests.participation.conftest import as_, person, post

pytestmark = pytest.mark.django_db


def test_follow_each_kind_once_and_unfollow(client, roles, association, space):
    as_(client, roles["resident"])
    for body in ({"commune": "97415"}, {"actor": association.pk}, {"space": space.pk},
                 {"user": "vera"}):  # fmt: skip
        made = post(client, "/api/v1/follows", body)
        assert made.status_code == 201, made.content
        again = post(client, "/api/v1/follows", body)
        assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    assert Follow.objects.filter(user=roles["resident"]).count() == 4
    follow_id = Follow.objects.filter(user=roles["resident"]).first().pk
    assert client.delete(f"/api/v1/follows/{follow_id}").status_code == 204
    assert client.delete(f"/api/v1/follows/{follow_id}").status_code == 404


@pytest.mark.parametrize("body, status", [
    ({"commune": "99999"}, 404), ({"actor": 10**9}, 404), ({"actor": "x"}, 400),
    ({"commune": "97415", "actor": 1}, 400), ({}, 400), ({"user": "paula"}, 400),
    ({"planet": "mars"}, 400), (["commune"], 400),
])  # fmt: skip
def test_refusals_are_problems(client, roles, body, status):
    as_(client, roles["resident"])
    answer = post(client, "/api/v1/follows", body)
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/problem+json"
    assert not Follow.objects.exists()


def test_anonymous_cannot_follow_and_nobody_unfollows_for_another(client, roles):
    assert post(client, "/api/v1/follows", {"commune": "97415"}).status_code == 401
    as_(client, roles["resident"])
    follow_id = post(client, "/api/v1/follows", {"commune": "97415"}).json()["id"]
    as_(client, roles["elsewhere"])
    assert client.delete(f"/api/v1/follows/{follow_id}").status_code == 404
    assert Follow.objects.filter(pk=follow_id).exists()


def test_follower_counts_are_public_lists_only_name_the_visible(client, roles):
    shy, open_ = roles["resident"], roles["verified"]
    Profile.objects.create(user=open_, follows_public=True)
    for follower in (shy, open_):
        as_(client, follower)
        assert post(client, "/api/v1/follows", {"commune": "97415"}).status_code == 201
    as_(client, None)
    answer = client.get("/api/v1/followers?commune=97415").json()
    assert answer == {"count": 2, "visible": ["vera"]}
    assert client.get("/api/v1/followers?commune=97415&x=1").status_code == 400


def test_draft_actors_and_proposals_cannot_be_followed(client, roles, space):
    from geo_civic.actors.models import Actor
    from geo_civic.participation.models import Proposal

    draft = Actor.objects.create(kind="project", name="Brouillon", point="POINT(55.27 -21.01)",
                                 status="draft", owner=person("owner"))  # fmt: skip
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority")
    as_(client, roles["resident"])
    assert post(client, "/api/v1/follows", {"actor": draft.pk}).status_code == 404
    assert post(client, "/api/v1/follows", {"proposal": proposal.pk}).status_code == 404
