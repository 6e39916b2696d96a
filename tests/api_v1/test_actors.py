"""Actors through ``/api/v1/``, role by role, by the site's own contribution and moderation
rules: a resident's entry is pending until a moderator of its commune publishes it."""

from __future__ import annotations

import pytest

from geo_civic.actors.models import Actor
from geo_civic.contributions.models import ActorRevision, Report
from tests.api_v1.conftest import ROLES, SAINT_DENIS, SAINT_PAUL, feature

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_anyone_reads_a_published_actor_as_a_feature_without_its_private_fields(api, garden):
    for role in ROLES:
        answer = api[role].get(f"actors/{garden.pk}")
        assert answer.status_code == 200, role
        body = answer.json()
        assert body["type"] == "Feature" and body["id"] == garden.pk
        props = body["properties"]
        assert props["categories"] == ["jardins"] and props["commune"]["code"] == "97415"
        # A home address: published to about 1 km, never the exact point.
        lon, lat = body["geometry"]["coordinates"]
        assert (round(lon, 2), round(lat, 2)) == (55.27, -21.01) and (lon, lat) != SAINT_PAUL
        text = answer.content.decode()
        editor = role in ("owner", "co_editor", "moderator")
        assert ("secret-contact@example.org" in text) is editor, role
        assert ("rue des Secrets" in text) is editor, role
        assert (props["private"] is not None) is editor, role


def test_a_residents_contribution_waits_for_a_moderator_of_its_commune(api, people):
    assert api["anonymous"].post("actors", feature(*SAINT_PAUL)).status_code == 401
    made = api["resident"].post("actors", feature(*SAINT_PAUL, tags=["compost", "quartier"]))
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["properties"]["status"] == "pending"
    actor = Actor.objects.get(pk=pk)
    assert actor.owner == people["resident"] and actor.tags == ["compost", "quartier"]
    # Pending: its author and Saint-Paul's moderators see it, nobody else.
    for role, status in {"anonymous": 404, "owner": 404, "other_moderator": 404,
                         "resident": 200, "moderator": 200}.items():  # fmt: skip
        assert api[role].get(f"actors/{pk}").status_code == status, role
    queue = api["moderator"].get("moderation/pending").json()
    assert [f["id"] for f in queue["features"]] == [pk]
    assert api["other_moderator"].get("moderation/pending").json()["features"] == []
    assert api["resident"].get("moderation/pending").status_code == 403
    # A refusal needs its reason; a decision out of one's communes is refused.
    no_reason = api["moderator"].post(f"actors/{pk}/decision", {"decision": "reject"})
    assert no_reason.status_code == 400 and no_reason["Content-Type"] == PROBLEM
    assert "reason" in no_reason.json()["detail"]
    outside = api["other_moderator"].post(f"actors/{pk}/decision", {"decision": "approve"})
    assert outside.status_code == 404  # not even visible to them
    assert api["resident"].post(f"actors/{pk}/decision", {"decision": "approve"}).status_code == 403
    approved = api["moderator"].post(f"actors/{pk}/decision", {"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["properties"]["status"] == "published"
    assert api["anonymous"].get(f"actors/{pk}").status_code == 200
    actions = list(ActorRevision.objects.filter(actor_id=pk).values_list("action", flat=True))
    assert actions == ["approved", "created"]


def test_trusted_contributors_and_local_moderators_publish_at_once(api):
    assert api["trusted"].post("actors", feature(*SAINT_DENIS)).json()["properties"][
        "status"] == "published"  # fmt: skip
    assert api["moderator"].post("actors", feature(*SAINT_PAUL)).json()["properties"][
        "status"] == "published"  # fmt: skip
    # …but a moderator of Saint-Paul does not publish unreviewed in Saint-Denis.
    assert api["moderator"].post("actors", feature(*SAINT_DENIS)).json()["properties"][
        "status"] == "pending"  # fmt: skip


def test_a_draft_stays_its_authors(api):
    made = api["resident"].post("actors", feature(*SAINT_PAUL, draft=True)).json()
    assert made["properties"]["status"] == "draft"
    assert api["moderator"].get(f"actors/{made['id']}").status_code == 404
    assert api["moderator"].get("moderation/pending").json()["features"] == []


def test_the_site_forms_rules_refuse_bad_entries_and_save_nothing(api):
    before = Actor.objects.count()
    cases = [
        feature(0.0, 0.0),  # in no commune
        feature(*SAINT_PAUL, kind="event"),  # an event has a start
        feature(*SAINT_PAUL, website="pas une adresse"),
        feature(*SAINT_PAUL, categories=["inconnue"]),
        feature(*SAINT_PAUL, place_type="amap"),  # not a project's field
        feature(*SAINT_PAUL, name=7),
        feature(*SAINT_PAUL, kind="rocket"),
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["a", 1]},
         "properties": {"kind": "project", "name": "x"}},  # fmt: skip
        {"type": "FeatureCollection"},
        [],
    ]
    for body in cases:
        answer = api["resident"].post("actors", body)
        assert answer.status_code == 400, (body, answer.content)
        assert answer["Content-Type"] == PROBLEM
    assert Actor.objects.count() == before


def test_editors_edit_and_a_residents_edit_goes_back_to_moderation(api, garden):
    for role in ("anonymous",):
        assert api[role].patch(f"actors/{garden.pk}", {"type": "Feature", "properties": {
            "summary": "x"}}).status_code == 401  # fmt: skip
    for role in ("resident", "trusted", "other_moderator", "steward"):
        answer = api[role].patch(f"actors/{garden.pk}", {"type": "Feature",
                                 "properties": {"summary": "pirate"}})  # fmt: skip
        assert answer.status_code == 403, role
    edited = api["co_editor"].patch(
        f"actors/{garden.pk}", {"type": "Feature", "properties": {"summary": "Nouveau"}}
    )
    assert edited.status_code == 200, edited.content
    garden.refresh_from_db()
    assert garden.summary == "Nouveau" and garden.status == "pending"
    # Untouched fields are kept: a partial update changes only what it names.
    assert garden.email == "secret-contact@example.org" and garden.location_is_private
    assert list(garden.categories.values_list("slug", flat=True)) == ["jardins"]
    by_moderator = api["moderator"].patch(
        f"actors/{garden.pk}", {"type": "Feature", "properties": {"name": "Jardins du Port"}}
    )
    assert by_moderator.json()["properties"]["status"] == "published"
    kind = api["owner"].patch(f"actors/{garden.pk}", {"type": "Feature",
                              "properties": {"kind": "event"}})  # fmt: skip
    assert kind.status_code == 400


def test_archive_needs_a_moderator_and_a_reason(api, garden):
    for role in ("resident", "owner", "other_moderator"):
        assert api[role].post(f"actors/{garden.pk}/archive", {"reason": "fermé"}).status_code \
            == 403, role  # fmt: skip
    assert api["moderator"].post(f"actors/{garden.pk}/archive", {"reason": ""}).status_code == 400
    done = api["moderator"].post(f"actors/{garden.pk}/archive", {"reason": "fermé"})
    assert done.status_code == 200 and done.json()["properties"]["status"] == "archived"
    assert done.json()["properties"]["private"]["moderation_note"] == "fermé"
    assert api["anonymous"].get(f"actors/{garden.pk}").status_code == 404


def test_anyone_reports_and_moderators_of_the_commune_see_reports(api, garden):
    for role in ("anonymous", "resident"):
        made = api[role].post(f"actors/{garden.pk}/reports", {"reason": "Fermé depuis 2023"})
        assert made.status_code == 201, role
    assert api["resident"].post(f"actors/{garden.pk}/reports", {"reason": " "}).status_code == 400
    assert Report.objects.filter(actor=garden).count() == 2
    seen = api["moderator"].get("moderation/reports").json()
    assert len(seen["results"]) == 2 and set(seen["links"]) == {"next", "previous"}
    assert api["other_moderator"].get("moderation/reports").json()["results"] == []
    assert api["anonymous"].get("moderation/reports").status_code == 401


def test_revisions_and_revert_are_for_moderators(api, garden):
    api["moderator"].patch(f"actors/{garden.pk}", {"type": "Feature",
                           "properties": {"name": "Premier nom"}})  # fmt: skip
    api["moderator"].patch(f"actors/{garden.pk}", {"type": "Feature",
                           "properties": {"name": "Second nom"}})  # fmt: skip
    for role in ("anonymous", "resident", "owner", "other_moderator"):
        assert api[role].get(f"actors/{garden.pk}/revisions").status_code in (401, 403), role
    revisions = api["moderator"].get(f"actors/{garden.pk}/revisions").json()["revisions"]
    assert [r["action"] for r in revisions] == ["edited", "edited"]
    assert revisions[0]["changes"] == ["name"] and revisions[0]["author"] == "modo-paul"
    first = revisions[1]["id"]
    path = f"actors/{garden.pk}/revisions/{first}/revert"
    assert api["owner"].post(path).status_code == 403
    back = api["moderator"].post(path)
    assert back.status_code == 200 and back.json()["properties"]["name"] == "Premier nom"
    assert api["moderator"].post(f"actors/{garden.pk}/revisions/999999/revert").status_code \
        == 404  # fmt: skip
