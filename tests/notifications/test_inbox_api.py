"""One's own notifications through the API and the pages: keyset pages, unread filter, marking
read (someone else's ids change nothing), preferences all or nothing, the header count."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from geo_civic.notifications.delivery import notify
from geo_civic.notifications.models import Notification, Preference
from tests.notifications.conftest import person

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def many(user, count: int) -> None:
    for i in range(count):
        notify([user.pk], kind="news", title=f"n{i}", url=f"/n/{i}", key=f"k{i}")
    # Two share a timestamp: the cursor must still not skip or repeat.
    Notification.objects.filter(user=user, key__in=["k3", "k4"]).update(
        created_at=timezone.now() - timedelta(hours=1)
    )


def test_the_list_pages_by_cursor_and_filters_unread(client):
    ana = person("ana")
    many(ana, 45)
    client.force_login(ana)
    seen, url = [], "/api/v1/notifications"
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.content
        seen += [row["title"] for row in page.json()["results"]]
        url = page.json()["next"]
    assert len(seen) == 45 == len(set(seen)) and seen[-2:] == ["n4", "n3"]
    assert page.json()["unread"] == 45
    first = client.get("/api/v1/notifications").json()["results"]
    assert set(first[0]) == {"id", "kind", "title", "url", "body", "created_at", "read_at"}
    marked = send(client, "post", "/api/v1/notifications/read", {"ids": [first[0]["id"]]})
    assert marked.json() == {"marked": 1}
    unread = client.get("/api/v1/notifications?unread=1").json()
    assert unread["unread"] == 44 and first[0]["id"] not in [r["id"] for r in unread["results"]]
    assert send(client, "post", "/api/v1/notifications/read", {"all": True}).json() == {
        "marked": 44
    }
    assert client.get("/api/v1/notifications?unread=1").json()["results"] == []


@pytest.mark.parametrize(
    "query", ["unread=maybe", "cursor=%%%", "cursor=bm9wZQ==", "page=2", "unread=1&unread=0"]
)
def test_a_wrong_parameter_is_a_problem(client, query):
    client.force_login(person("ana"))
    response = client.get(f"/api/v1/notifications?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_nobody_reads_or_marks_someone_elses_notifications(client):
    ana, bob = person("ana"), person("bob")
    notify([ana.pk], kind="news", title="pour Ana seulement", url="/a", key="a")
    theirs = Notification.objects.get(user=ana).pk
    client.force_login(bob)
    assert client.get("/api/v1/notifications").json() == {"results": [], "next": None, "unread": 0}
    assert send(client, "post", "/api/v1/notifications/read", {"ids": [theirs]}).json() == {
        "marked": 0
    }
    client.post("/notifications/lues/", {"ids": [theirs]})
    assert Notification.objects.get(pk=theirs).read_at is None
    assert b"pour Ana seulement" not in client.get("/notifications/").content
    client.logout()
    assert client.get("/api/v1/notifications").status_code in (401, 403)
    assert client.get("/notifications/").status_code == 302  # to the login page


@pytest.mark.parametrize(
    "body", [[], {"ids": "1"}, {"ids": [True]}, {"all": 1}, {"ids": [1], "all": True}, {"x": 1}]
)
def test_mark_read_refuses_a_malformed_body(client, body):
    client.force_login(person("ana"))
    response = send(client, "post", "/api/v1/notifications/read", body)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


def test_preferences_default_then_change_all_or_nothing(client):
    ana = person("ana")
    client.force_login(ana)
    url = "/api/v1/me/notifications"
    assert client.get(url).json() == {"email": "daily", "push": False, "kinds": {}}
    changed = send(client, "put", url, {"email": "immediate", "push": True,
                                        "kinds": {"news": {"email": "none"}}})  # fmt: skip
    assert changed.status_code == 200
    assert changed.json() == {
        "email": "immediate",
        "push": True,
        "kinds": {"news": {"email": "none"}},
    }
    for wrong in ({"email": "hourly"}, {"push": "yes"}, {"kinds": {"gossip": {"push": True}}},
                  {"email": "weekly", "kinds": {"news": {"email": "soon"}}},
                  {"kinds": {"news": {}}}, {"colour": "red"}, ["email"]):  # fmt: skip
        response = send(client, "put", url, wrong)
        assert response.status_code == 400, wrong
        assert response["Content-Type"] == "application/problem+json"
    assert client.get(url).json()["email"] == "immediate"  # nothing half-applied
    assert Preference.objects.count() == 1


def test_the_preferences_form_and_the_header_count(client):
    ana = person("ana")
    client.force_login(ana)
    notify([ana.pk], kind="event", title="Fête de la musique", url="/e/1", key="e1")
    notify([ana.pk], kind="event", title="Kermesse", url="/e/2", key="e2")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/notifications/").content.decode()
    assert 'data-unread="2"' in page and "Fête de la musique" in page
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "read_at" in q["sql"]]
    assert len(counts) == 1  # the header's count, once, however often the template shows it
    client.post("/notifications/lues/", {"all": "1"})
    assert "data-unread" not in client.get("/notifications/").content.decode()
    response = client.post("/notifications/preferences/", {"email": "weekly", "push": "on"})
    assert response.status_code == 302
    assert Preference.objects.get(user=ana).email == "weekly"
    assert client.post("/notifications/preferences/", {"email": "x"}).status_code == 200
    assert Preference.objects.get(user=ana).email == "weekly"


def test_the_pages_and_e_mails_speak_french_by_default(client, mailoutbox):
    ana = person("ana", email="immediate")
    notify([ana.pk], kind="news", title="Marché", url="/n/1", key="n1")
    client.force_login(ana)
    html = client.get("/notifications/").content.decode()
    assert "Tout marquer comme lu" in html and "1 non lue" in html
    from geo_civic.notifications.emails import send_digests, send_immediate

    send_immediate("n1")
    assert "Ne plus recevoir ces e-mails" in mailoutbox[0].body
    person("bob")
    notify([type(ana).objects.get(username="bob").pk], kind="news", title="t", url="/", key="b")
    send_digests("daily")
    assert mailoutbox[1].subject == "GeoCivic : 1 nouvelle notification"
