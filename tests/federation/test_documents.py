"""What a fediverse server reads of us: WebFinger, actors, outboxes (events, questions), the
followers collection and NodeInfo; validated as JSON-LD against the shipped contexts."""

from __future__ import annotations

from typing import Any

import pytest
from pyld import jsonld

from tests.federation.conftest import local_loader

AP = "application/activity+json"
HOST = "testserver"
BASE = f"http://{HOST}"


def get_json(client, url: str, status: int = 200, **headers: str) -> dict[str, Any]:
    response = client.get(url, HTTP_ACCEPT=headers.get("accept", AP))
    assert response.status_code == status, response.content[:500]
    return response.json()


def keys_of(document: Any) -> set[str]:
    if isinstance(document, dict):
        found = {key for key in document if not key.startswith("@")}
        for key, value in document.items():
            if key != "@context":
                found |= keys_of(value)
        return found
    if isinstance(document, list):
        return set().union(*(keys_of(item) for item in document)) if document else set()
    return set()


def assert_valid_json_ld(document: dict[str, Any]) -> None:
    """Expanded with the shipped contexts, every term of the document is a real IRI (no term
    dropped, none falling to the activitystreams context's blank-node vocabulary)."""
    options = {"documentLoader": local_loader}
    expanded = jsonld.expand(document, options)
    assert expanded, "nothing survived expansion"
    for key in keys_of(document) - {"id", "type"}:  # the context's aliases of @id and @type
        probe = jsonld.expand({"@context": document["@context"], key: "x"}, options)
        iris = [iri for node in probe for iri in node if not iri.startswith("@")]
        assert iris and not iris[0].startswith("_:"), f"{key} is not defined by the contexts"


@pytest.mark.django_db
def test_webfinger_finds_a_commune_an_actor_and_a_space(client, event, voting_proposal):
    jrd = get_json(client, f"/.well-known/webfinger?resource=acct:97415@{HOST}")
    assert jrd["subject"] == f"acct:97415@{HOST}"
    (self_link,) = [link for link in jrd["links"] if link["rel"] == "self"]
    assert self_link == {"rel": "self", "type": AP, "href": f"{BASE}/ap/communes/97415"}
    profile = next(link for link in jrd["links"] if "profile-page" in link["rel"])
    assert profile["href"] == f"{BASE}/communes/97415/"
    by_slug = get_json(client, f"/.well-known/webfinger?resource=acct:{event.slug}@{HOST}")
    assert by_slug["links"][0]["href"] == f"{BASE}/ap/actors/{event.pk}"
    space = voting_proposal.space_id
    by_space = get_json(client, f"/.well-known/webfinger?resource=acct:space_{space}@{HOST}")
    assert by_space["links"][0]["href"] == f"{BASE}/ap/spaces/{space}"


@pytest.mark.django_db
def test_webfinger_refusals_are_problems(client, reunion_communes):
    for url, status in [
        ("/.well-known/webfinger", 400),
        ("/.well-known/webfinger?resource=acct:97415@elsewhere.example", 404),
        (f"/.well-known/webfinger?resource=acct:nobody-here@{HOST}", 404),
        (f"/.well-known/webfinger?resource=acct:space_999999@{HOST}", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_the_configured_domain_makes_the_ids(client, settings, reunion_communes):
    settings.GEO_CIVIC_DOMAIN = "civic.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    jrd = get_json(client, "/.well-known/webfinger?resource=acct:97415@civic.example.org")
    assert jrd["links"][0]["href"] == "https://civic.example.org/ap/communes/97415"
    actor = client.get("/ap/communes/97415", HTTP_ACCEPT=AP, HTTP_HOST="evil.example").json()
    assert actor["id"] == "https://civic.example.org/ap/communes/97415"


@pytest.mark.django_db
def test_actor_documents(client, event, voting_proposal):
    commune = get_json(client, "/ap/communes/97415")
    assert commune["type"] == "Group" and commune["preferredUsername"] == "97415"
    assert commune["name"] == "Saint-Paul"
    for box in ("inbox", "outbox", "followers"):
        assert commune[box] == f"{BASE}/ap/communes/97415/{box}"
    assert commune["endpoints"]["sharedInbox"] == f"{BASE}/ap/inbox"
    assert commune["publicKey"]["id"] == f"{BASE}/ap/communes/97415#main-key"
    assert commune["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert commune["url"] == f"{BASE}/communes/97415/"
    assert get_json(client, "/ap/communes/97415")["publicKey"] == commune["publicKey"]  # kept
    assert_valid_json_ld(commune)
    actor = get_json(client, f"/ap/actors/{event.pk}")
    assert actor["type"] == "Group" and actor["publicKey"] != commune["publicKey"]
    space = get_json(client, f"/ap/spaces/{voting_proposal.space_id}")
    assert space["type"] == "Group" and space["preferredUsername"].startswith("space_")
    instance = get_json(client, "/ap/site/instance")  # signs our fetches of remote keys
    assert instance["type"] == "Application" and instance["publicKey"]["publicKeyPem"]
    assert get_json(client, "/ap/site/instance/outbox?page=1")["orderedItems"] == []
    # A browser is sent to the page; an unknown or unpublished actor is a 404 problem.
    page = client.get("/ap/communes/97415", HTTP_ACCEPT="text/html")
    assert page.status_code == 302 and page["Location"] == f"{BASE}/communes/97415/"
    event.status = "draft"
    event.save()
    assert client.get(f"/ap/actors/{event.pk}", HTTP_ACCEPT=AP).status_code == 404


@pytest.mark.django_db
def test_an_organisation_is_an_organization(client, reunion_communes):
    from django.contrib.gis.geos import Point

    from geo_civic.actors.models import Actor

    association = Actor.objects.create(
        kind="organisation", name="Les Jardins de Saint-Paul",
        point=Point(55.27, -21.0096, srid=4326), status="published",
    )  # fmt: skip
    assert get_json(client, f"/ap/actors/{association.pk}")["type"] == "Organization"


@pytest.mark.django_db
def test_the_outbox_carries_events_and_questions_never_tallies(client, event, voting_proposal):
    collection = get_json(client, "/ap/communes/97415/outbox")
    assert collection["type"] == "OrderedCollection" and collection["totalItems"] == 2
    page = get_json(client, collection["first"].removeprefix(BASE))
    assert page["type"] == "OrderedCollectionPage" and page["partOf"] == collection["id"]
    assert_valid_json_ld(page)
    creates = {item["object"]["type"]: item for item in page["orderedItems"]}
    assert set(creates) == {"Event", "Question"}
    for item in creates.values():
        assert item["type"] == "Create" and item["actor"] == f"{BASE}/ap/communes/97415"
        assert "https://www.w3.org/ns/activitystreams#Public" in item["to"]
    happening = creates["Event"]["object"]
    assert happening["name"] == event.name and happening["startTime"].startswith(
        event.starts_at.isoformat()[:16]
    )
    assert happening["endTime"] and happening["timezone"] == "Indian/Reunion"
    assert happening["location"]["type"] == "Place"
    assert happening["location"]["address"]["addressLocality"] == "Saint-Paul"
    assert round(happening["location"]["latitude"], 3) == -21.010
    assert "<strong>Gratuit</strong>" in happening["content"]
    question = creates["Question"]["object"]
    assert [option["name"] for option in question["oneOf"]] == ["for", "against", "blank"]
    assert question["endTime"].startswith(voting_proposal.closes_at.isoformat()[:16])
    text = str(page["orderedItems"])
    for tally in ("votersCount", "replies", "totalItems': 1", "'for': 1"):
        assert tally not in text
    # The object ids resolve; the space's outbox has the question only.
    assert get_json(client, happening["id"].removeprefix(BASE))["type"] == "Event"
    assert get_json(client, question["id"].removeprefix(BASE))["type"] == "Question"
    space_box = get_json(client, f"/ap/spaces/{voting_proposal.space_id}/outbox?page=1")
    assert [i["object"]["type"] for i in space_box["orderedItems"]] == ["Question"]
    event_box = get_json(client, f"/ap/actors/{event.pk}/outbox?page=1")
    assert [i["object"]["type"] for i in event_box["orderedItems"]] == ["Event"]


@pytest.mark.django_db
def test_outbox_pages(client, reunion_communes, event):
    from geo_civic.actors.models import Actor
    from geo_civic.federation.outbox import PAGE_SIZE

    for n in range(PAGE_SIZE):
        Actor.objects.create(
            kind="event", name=f"Atelier {n}", point=event.point, status="published",
            starts_at=event.starts_at,
        )  # fmt: skip
    first = get_json(client, "/ap/communes/97415/outbox?page=1")
    second = get_json(client, first["next"].removeprefix(BASE))
    assert len(first["orderedItems"]) == PAGE_SIZE and len(second["orderedItems"]) == 1
    assert second["orderedItems"][0]["object"]["name"] == event.name  # the oldest last
    assert "next" not in second and second["prev"] == first["id"]
    for bad in ("0", "x", "99999999"):
        response = client.get(f"/ap/communes/97415/outbox?page={bad}")
        assert response.status_code == 400 and response.json()["parameter"] == "page"


@pytest.mark.django_db
def test_followers_is_a_count_and_nodeinfo(client, reunion_communes):
    followers = get_json(client, "/ap/communes/97415/followers")
    assert followers == {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{BASE}/ap/communes/97415/followers",
        "type": "OrderedCollection",
        "totalItems": 0,
    }
    index = get_json(client, "/.well-known/nodeinfo")
    assert index["links"][0]["href"] == f"{BASE}/nodeinfo/2.1"
    info = get_json(client, "/nodeinfo/2.1")
    assert info["version"] == "2.1" and info["protocols"] == ["activitypub"]
    assert info["software"]["name"] == "geocivic"


def test_production_needs_a_domain(settings):
    from django.core.checks import registry

    from geo_civic.federation.checks import domain_is_set

    assert domain_is_set in registry.registry.get_checks(include_deployment_checks=True)
    settings.PRODUCTION = True
    settings.GEO_CIVIC_DOMAIN = ""
    assert [error.id for error in domain_is_set(None)] == ["geo_civic.federation.E001"]
    settings.GEO_CIVIC_DOMAIN = "civic.example.org"
    assert domain_is_set(None) == []
