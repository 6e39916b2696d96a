"""Activities come from the lower apps' own writes (an entry published by a moderator), and the
fan-out job runs in a real ``procrastinate worker``."""

from __future__ import annotations

import pytest

from geo_civic.actors.models import Actor
from geo_civic.notifications.models import Notification
from geo_civic.social.models import Activity, Follow
from tests.live_servers import run_jobs
from tests.participation.conftest import as_, person


@pytest.mark.django_db
def test_an_entry_approved_by_a_moderator_becomes_one_activity(client, roles):
    pending = Actor.objects.create(
        kind="event", name="Fête des voisins", status="pending",
        point="POINT(55.2700 -21.0096)", owner=person("org"),
    )  # fmt: skip
    as_(client, roles["moderator"])
    for _ in range(2):  # approved twice (re-approval after an edit): told once
        answer = client.post(f"/moderation/{pending.pk}/", {"decision": "approve", "reason": ""})
        assert answer.status_code == 302
    activity = Activity.objects.get(actor=pending)
    assert (activity.verb, activity.commune.code) == ("event", "97415")
    assert activity.subjects.filter(subject="actor", target_id=pending.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_fans_out_news_to_followers(reunion_communes, client):
    from tests.participation.conftest import scoped_moderator

    reader = person("lecteur")
    moderator = scoped_moderator("modo-paul", "97415")
    from geo_civic.territories.models import Commune

    Follow.objects.create(user=reader, subject="commune",
                          target_id=Commune.objects.get(code="97415").pk)  # fmt: skip
    client.force_login(moderator)
    made = client.post("/api/v1/news", {"commune": "97415", "title": "Marché", "body": "b"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201
    assert not Notification.objects.exists()  # told by the worker, not in the request
    run_jobs("social")
    told = Notification.objects.get()
    assert (told.user, told.kind, told.title) == (reader, "news", "Marché")
    assert told.url == f"/actualites/{made.json()['id']}/"
