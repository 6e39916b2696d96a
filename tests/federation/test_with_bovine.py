"""Federation against an independent implementation: bovine (tests/federation/remote_server.py,
in its own environment) follows Saint-Paul with a Follow it signs; our inbox checks the
signature with the key it fetches (by a signed GET, as bovine serves its actor in secure mode)
from bovine's actor, accepts, and a real procrastinate worker
delivers our signed Accept, then a new event, a proposal entering the vote and a news item with
its image, later withdrawn (``Delete``) — each verified by bovine's own signature checker, which
fetches OUR key. A tampered Follow is refused."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from geo_civic.federation.models import Delivery, Follower
from tests.federation.conftest import SAINT_PAUL
from tests.live_servers import run_jobs


def control(remote: str, path: str, order: dict | None = None):
    data = json.dumps(order).encode() if order is not None else None
    request = urllib.request.Request(
        remote + path, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def run_worker() -> None:
    """A real ``procrastinate worker`` on the test database runs every federation job due."""
    run_jobs("federation", GEO_CIVIC_FEDERATION_ALLOW_PRIVATE="1")


def follow(remote: str, ours: str, inbox: str, tamper: bool = False) -> dict:
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{remote}/follows/{'tampered' if tamper else 'one'}",
        "type": "Follow",
        "actor": f"{remote}/actor",
        "object": ours,
    }
    return control(remote, "/control/send", {"url": inbox, "activity": activity, "tamper": tamper})


@pytest.mark.django_db(transaction=True)
def test_bovine_follows_a_commune_and_hears_of_its_news(
    live_server, remote_server, reunion_communes
):
    from django.contrib.gis.geos import Point

    from geo_civic.actors.models import Actor
    from geo_civic.participation import lifecycle
    from geo_civic.participation.models import Proposal, Space
    from geo_civic.social.models import News
    from geo_civic.territories.models import Commune

    base = live_server.url
    commune = f"{base}/ap/communes/97415"

    # A tampered Follow: bovine signed another body. 401 problem, nobody follows.
    refused = follow(remote_server, commune, f"{commune}/inbox", tamper=True)
    assert refused["status"] == 401
    assert "Digest" in json.loads(refused["body"])["detail"]
    assert not Follower.objects.exists()

    # The real Follow, to the commune's inbox: accepted, and an Accept is queued.
    answer = follow(remote_server, commune, f"{commune}/inbox")
    assert answer["status"] == 202, answer
    follower = Follower.objects.get()
    assert (follower.local_kind, follower.local_key, follower.accepted) == (
        "commune",
        "97415",
        True,
    )
    assert follower.remote.shared_inbox == f"{remote_server}/shared-inbox"
    # bovine's actor is served to signed GETs only: we signed as our site's actor.
    assert control(remote_server, "/control/fetches")[-1] == f"{base}/ap/site/instance"
    run_worker()
    accepts = [
        r for r in control(remote_server, "/control/received") if r["activity"]["type"] == "Accept"
    ]
    assert len(accepts) == 1
    (accept,) = accepts
    assert accept["verified_owner"] == commune  # bovine checked our signature with our key
    assert accept["path"] == "/inbox"
    assert accept["activity"]["object"]["id"] == f"{remote_server}/follows/one"
    delivery = Delivery.objects.get()
    assert delivery.done, (delivery.attempts, delivery.last_error)
    followers = urllib.request.urlopen(f"{commune}/followers").read()  # noqa: S310
    assert json.loads(followers)["totalItems"] == 1

    # A new event in Saint-Paul and a proposal entering the vote reach the shared inbox.
    start = timezone.now() + timedelta(days=3)
    event = Actor.objects.create(
        kind="event", name="Marché de nuit", point=Point(*SAINT_PAUL, srid=4326),
        starts_at=start, ends_at=start + timedelta(hours=3), status="published",
    )  # fmt: skip
    event.save()  # saved again: still delivered once
    space = Space.objects.create(
        commune=Commune.objects.get(code="97415"), title="Quartier", eligibility="residents"
    )
    proposal = Proposal.objects.create(space=space, title="Des bancs", body="b", method="majority")
    lifecycle.apply(proposal.pk, "voting")
    news = News.objects.create(
        commune=Commune.objects.get(code="97415"), title="Nettoyage de la plage",
        body="Samedi", body_html="<p>Samedi</p>", status="published",
    )  # fmt: skip
    run_worker()
    shared = [
        r for r in control(remote_server, "/control/received") if r["path"] == "/shared-inbox"
    ]
    kinds = sorted(r["activity"]["object"]["type"] for r in shared)
    assert kinds == ["Event", "Note", "Question"]
    for received in shared:
        assert received["verified_owner"] == commune
        assert received["activity"]["type"] == "Create"
        assert received["activity"]["actor"] == commune
    assert Delivery.objects.filter(done=True).count() == 4

    # The news item withdrawn: a signed Delete of its Tombstone.
    news_id = f"{base}/ap/objects/news/{news.pk}"
    news.delete()
    run_worker()
    deletes = [
        r for r in control(remote_server, "/control/received") if r["activity"]["type"] == "Delete"
    ]
    assert len(deletes) == 1 and deletes[0]["verified_owner"] == commune
    assert deletes[0]["activity"]["object"]["id"] == news_id
    assert deletes[0]["activity"]["object"]["type"] == "Tombstone"

    # Undo: bovine stops following.
    undo = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{remote_server}/undo/one",
        "type": "Undo",
        "actor": f"{remote_server}/actor",
        "object": {"id": f"{remote_server}/follows/one", "type": "Follow",
                   "actor": f"{remote_server}/actor", "object": commune},
    }  # fmt: skip
    answer = control(remote_server, "/control/send", {"url": f"{base}/ap/inbox", "activity": undo})
    assert answer["status"] == 202
    assert not Follower.objects.exists()
