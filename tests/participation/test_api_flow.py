"""A consultation from start to end through ``/api/v1/``, as an app would drive it."""

from __future__ import annotations

import pytest

from geo_civic.participation.models import Proposal, Transition, Vote
from tests.participation.conftest import SAINT_PAUL, as_, feature, post

pytestmark = pytest.mark.django_db

INSIDE = {"type": "Point", "coordinates": list(SAINT_PAUL)}
OUTSIDE = {"type": "Point", "coordinates": [55.4504, -20.8823]}  # Saint-Denis


def test_a_proposal_lives_from_draft_to_resolution(client, roles, space):
    author, moderator = roles["author"], roles["moderator"]
    response = post(as_(client, author), "/api/v1/proposals", feature(space.pk, INSIDE))
    assert response.status_code == 201, response.content
    created = response.json()
    pk = created["id"]
    assert created["type"] == "Feature"
    assert created["geometry"]["coordinates"] == list(SAINT_PAUL)
    assert created["properties"]["status"] == "draft"
    assert "<strong>jardin</strong>" in created["properties"]["body_html"]

    assert post(as_(client, moderator), f"/api/v1/proposals/{pk}/transition",
                {"to": "debate"}).status_code == 200  # fmt: skip
    reply_to = post(as_(client, roles["resident"]), f"/api/v1/proposals/{pk}/comments",
                    {"body": "Bonne idée !"})  # fmt: skip
    assert reply_to.status_code == 201
    reply = post(client, f"/api/v1/proposals/{pk}/comments",
                 {"body": "Où exactement ?", "parent": reply_to.json()["id"]})  # fmt: skip
    assert reply.json()["parent"] == reply_to.json()["id"]

    amended = "Nous proposons un **jardin** partagé et un composteur."
    amendment = post(client, f"/api/v1/proposals/{pk}/amendments", {"body": amended})
    assert amendment.status_code == 201
    assert "+Nous proposons un **jardin** partagé et un composteur." in amendment.json()["diff"]
    amendment_id = amendment.json()["id"]
    for voter, code in (("resident", 201), ("verified", 201), ("verified", 200)):
        vote = post(as_(client, roles[voter]),
                    f"/api/v1/proposals/{pk}/amendments/{amendment_id}/vote", {"choice": "for"})
        assert vote.status_code == code, vote.content  # fmt: skip

    assert post(as_(client, moderator), f"/api/v1/proposals/{pk}/transition",
                {"to": "voting"}).status_code == 200  # fmt: skip
    detail = client.get(f"/api/v1/proposals/{pk}").json()
    assert detail["properties"]["body"] == amended
    assert detail["properties"]["version"] == 2

    first = post(as_(client, roles["resident"]), f"/api/v1/proposals/{pk}/vote", {"choice": "for"})
    assert first.status_code == 201
    assert set(first.json()) == {"id", "proposal"}  # the ballot's id, never its content
    again = post(client, f"/api/v1/proposals/{pk}/vote", {"choice": "against"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert post(as_(client, roles["verified"]), f"/api/v1/proposals/{pk}/vote",
                {"choice": "for"}).status_code == 201  # fmt: skip
    live = as_(client, None).get(f"/api/v1/proposals/{pk}/results").json()
    assert live["voters"] == 2
    assert set(live) == {"status", "voters", "participation"}  # no tally while voting

    assert post(as_(client, moderator), f"/api/v1/proposals/{pk}/transition",
                {"to": "closed"}).status_code == 200  # fmt: skip
    final = client.get(f"/api/v1/proposals/{pk}/results").json()
    assert (final["for"], final["against"], final["blank"], final["voters"]) == (1, 1, 0, 2)
    assert final["outcome"] == "rejected"  # a tie is no majority
    assert final["by_commune"] == []  # one commune: nothing to break down
    assert final["participation"] is None or final["participation"] < 0.001
    late = post(as_(client, roles["resident"]), f"/api/v1/proposals/{pk}/vote", {"choice": "for"})
    assert late.status_code == 409
    assert late["Content-Type"] == "application/problem+json"
    assert Vote.objects.filter(proposal_id=pk).count() == 2
    listing = client.get(f"/api/v1/proposals?space={space.pk}&status=closed,archived").json()
    assert listing["type"] == "FeatureCollection"
    assert [f["id"] for f in listing["features"]] == [pk]
    assert client.get(f"/api/v1/proposals?space={space.pk}&status=voting").json()["features"] == []
    steps = list(Transition.objects.filter(proposal_id=pk).values_list("to_status", flat=True))
    assert steps == ["draft", "debate", "voting", "closed"]
    assert Proposal.objects.get(pk=pk).resolution.outcome == "rejected"


def test_a_location_outside_the_territory_is_refused_with_the_reason(client, roles, space):
    response = post(as_(client, roles["author"]), "/api/v1/proposals", feature(space.pk, OUTSIDE))
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Outside the territory"
    assert "Saint-Paul" in problem["detail"]
    assert not Proposal.objects.exists()


def test_an_area_must_lie_entirely_within(client, roles, space):
    across = {"type": "Polygon", "coordinates": [[[55.26, -21.02], [55.46, -21.02],
              [55.46, -20.88], [55.26, -20.88], [55.26, -21.02]]]}  # fmt: skip
    inside = {"type": "Polygon", "coordinates": [[[55.30, -21.05], [55.305, -21.05],
              [55.305, -21.045], [55.30, -21.045], [55.30, -21.05]]]}  # fmt: skip
    as_(client, roles["author"])
    assert post(client, "/api/v1/proposals", feature(space.pk, across)).status_code == 400
    assert post(client, "/api/v1/proposals", feature(space.pk, inside)).status_code == 201
