"""The feed: what I follow and my commune, newest first, each activity once, stable pages, one
indexed query; and the fan-out that tells the followers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from geo_civic.notifications.models import Notification
from geo_civic.social.activities import Event, record
from geo_civic.social.fan_out import followers_of, tell_followers
from geo_civic.social.feed import FEED_SQL, feed, feed_params
from geo_civic.social.models import Activity, Follow, Subject
from geo_civic.territories.models import Commune
from tests.participation.conftest import as_, person, post

pytestmark = pytest.mark.django_db


def titles(client, **params) -> tuple[list[str], str | None]:
    answer = client.get("/api/v1/feed", params)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    return [item["title"] for item in data["items"]], data["next_cursor"]


def test_followed_news_reaches_my_feed_once(client, roles, association):
    reader = roles["elsewhere"]  # lives in Saint-Denis, follows Saint-Paul and the association
    as_(client, reader)
    post(client, "/api/v1/follows", {"commune": "97415"})
    post(client, "/api/v1/follows", {"actor": association.pk})
    as_(client, roles["member"])
    post(client, "/api/v1/news", {"actor": association.pk, "title": "Troc de graines", "body": "b"})
    as_(client, reader)
    # In the actor and in the commune, both followed: shown once.
    assert titles(client)[0] == ["Troc de graines"]
    as_(client, person("stranger"))
    assert titles(client)[0] == []  # follows nothing, lives nowhere


def test_my_communes_activity_comes_without_following(client, roles):
    as_(client, roles["moderator"])
    post(client, "/api/v1/news", {"commune": "97415", "title": "Marché de nuit", "body": "b"})
    as_(client, roles["resident"])  # lives in Saint-Paul
    assert titles(client)[0] == ["Marché de nuit"]
    as_(client, roles["elsewhere"])
    assert titles(client)[0] == []


def test_keyset_pages_stay_stable_when_new_activities_arrive(client, roles):
    saint_paul = Commune.objects.get(code="97415")
    start = timezone.now() - timedelta(hours=1)
    for n in range(7):
        record(Event(verb="news", key=f"t:{n}", title=f"n{n}", url="/", commune_id=saint_paul.pk,
                     created_at=start + timedelta(minutes=n)), fan_out=False)  # fmt: skip
    # Two activities at the very same time: the id breaks the tie.
    for n in (7, 8):
        record(Event(verb="news", key=f"t:{n}", title=f"n{n}", url="/", commune_id=saint_paul.pk,
                     created_at=start + timedelta(minutes=30)), fan_out=False)  # fmt: skip
    as_(client, roles["resident"])
    first, cursor = titles(client, limit=4)
    assert first == ["n8", "n7", "n6", "n5"]
    record(Event(verb="news", key="t:new", title="newer", url="/", commune_id=saint_paul.pk),
           fan_out=False)  # fmt: skip
    second, cursor = titles(client, limit=4, cursor=cursor)
    third, last = titles(client, limit=4, cursor=cursor)
    assert second == ["n4", "n3", "n2", "n1"] and third == ["n0"] and last is None
    assert titles(client, limit=4)[0][0] == "newer"


@pytest.mark.parametrize("query", ["cursor=abc", "cursor=%00", "limit=0", "limit=1000",
                                   "limit=x", "page=2", "limit=1&limit=2"])  # fmt: skip
def test_bad_feed_parameters_are_problems(client, roles, query):
    as_(client, roles["resident"])
    answer = client.get(f"/api/v1/feed?{query}")
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    client.logout()
    assert client.get("/api/v1/feed").status_code == 401


def test_the_feed_is_one_query_through_the_subject_index(roles, django_assert_num_queries):
    commune = Commune.objects.get(code="97415")
    for n in range(30):
        record(Event(verb="news", key=f"k{n}", title=f"t{n}", url="/", commune_id=commune.pk),
               fan_out=False)  # fmt: skip
    reader = roles["resident"]
    with django_assert_num_queries(1):
        page = feed(reader, limit=10)
    assert len(page.items) == 10
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask what it would use
        cursor.execute("EXPLAIN " + FEED_SQL, feed_params(reader.pk, None, 10))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "activity_subject_feed_idx" in plan, plan


def test_fan_out_tells_each_follower_once_and_never_the_author(roles, association):
    commune = Commune.objects.get(code="97415")
    author, both, one = roles["member"], roles["resident"], roles["elsewhere"]
    for user, subject, target in [(both, Subject.COMMUNE, commune.pk),
                                  (both, Subject.ACTOR, association.pk),
                                  (one, Subject.ACTOR, association.pk),
                                  (author, Subject.ACTOR, association.pk)]:  # fmt: skip
        Follow.objects.create(user=user, subject=subject, target_id=target)
    activity = record(Event(verb="news", key="news:x", title="Hello", url="/actualites/1/",
                            commune_id=commune.pk, actor_id=association.pk, user_id=author.pk),
                      fan_out=False)  # fmt: skip
    assert followers_of(activity) == sorted([both.pk, one.pk])
    # Followers (one of them living in Saint-Paul), then the other residents of Saint-Paul.
    assert tell_followers(activity.pk) == 4
    assert tell_followers(activity.pk) == 0  # a retried job tells no one twice
    key = f"activity:{activity.pk}"
    assert set(Notification.objects.values_list("user_id", "kind", "key")) == {
        (both.pk, "news", key), (one.pk, "news", key),
        (roles["verified"].pk, "nearby", key), (roles["author"].pk, "nearby", key),
    }


def test_recording_twice_is_one_activity_and_one_job(roles):
    from procrastinate.contrib.django.models import ProcrastinateJob

    commune = Commune.objects.get(code="97415")
    event = Event(verb="news", key="news:dup", title="t", url="/", commune_id=commune.pk)
    assert record(event) is not None and record(event) is None
    assert Activity.objects.filter(key="news:dup").count() == 1
    jobs = ProcrastinateJob.objects.filter(task_name__endswith="fan_out_activity")
    assert jobs.count() == 1


def test_proposal_transitions_and_publications_become_activities(client, roles, space):
    from geo_civic.participation.lifecycle import apply
    from geo_civic.participation.models import Proposal

    proposal = Proposal.objects.create(space=space, title="Jardin", body="b", method="majority")
    apply(proposal.pk, "debate")
    apply(proposal.pk, "voting")
    apply(proposal.pk, "closed")
    verbs = list(Activity.objects.filter(proposal_id=proposal.pk).values_list("verb", flat=True))
    assert verbs == ["result", "proposal_voting", "proposal_debate"]  # newest first
    as_(client, roles["resident"])
    assert titles(client)[0] == ["Jardin"] * 3  # in my commune: debate, vote, result
