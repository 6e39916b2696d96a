"""Who may post news where, through HTTP; moderated like contributions; located in the commune."""

from __future__ import annotations

import pytest

from geo_civic.social.models import Activity, News
from tests.participation.conftest import as_, person, post

pytestmark = pytest.mark.django_db

INSIDE = {"lon": 55.2700, "lat": -21.0096}  # Saint-Paul
OUTSIDE = {"lon": 55.4504, "lat": -20.8823}  # Saint-Denis


def news(client, user, **body):
    as_(client, user)
    return post(client, "/api/v1/news", {"title": "Fête du quartier", "body": "On **fête**!",
                                         **body})  # fmt: skip


def test_an_actors_administrators_post_its_news_and_no_one_else(client, roles, association):
    made = news(client, roles["member"], actor=association.pk, location=INSIDE)
    assert made.status_code == 201 and made.json()["status"] == "published"
    item = News.objects.get(pk=made.json()["id"])
    assert item.commune.code == "97415" and item.body_html == "<p>On <strong>fête</strong>!</p>\n"
    assert Activity.objects.filter(news=item, verb="news", actor=association).exists()
    for outsider in ("resident", "other_moderator"):
        refused = news(client, roles[outsider], actor=association.pk)
        assert refused.status_code == 403, outsider
        assert refused["Content-Type"] == "application/problem+json"
    assert news(client, roles["moderator"], actor=association.pk).status_code == 201
    assert news(client, None, actor=association.pk).status_code == 401


def test_residents_propose_moderators_publish(client, roles):
    proposed = news(client, roles["resident"], commune="97415")
    assert proposed.status_code == 201 and proposed.json()["status"] == "pending"
    pending = proposed.json()["id"]
    assert not Activity.objects.exists()  # nothing told before review
    as_(client, roles["elsewhere"])
    assert client.get(f"/api/v1/news/{pending}").status_code == 404  # not public yet
    assert post(client, f"/api/v1/news/{pending}/decision", {"publish": True}).status_code == 403
    as_(client, roles["other_moderator"])
    assert post(client, f"/api/v1/news/{pending}/decision", {"publish": True}).status_code == 403
    as_(client, roles["moderator"])
    assert post(client, f"/api/v1/news/{pending}/decision", {"publish": True}).status_code == 200
    assert Activity.objects.filter(news_id=pending).count() == 1
    as_(client, None)
    assert client.get(f"/api/v1/news/{pending}").json()["status"] == "published"
    direct = news(client, roles["moderator"], commune="97415")
    assert direct.json()["status"] == "published"


def test_outsiders_cannot_post_in_a_commune(client, roles):
    assert news(client, roles["elsewhere"], commune="97415").status_code == 403
    assert news(client, person("nowhere"), commune="97415").status_code == 403
    assert news(client, roles["other_moderator"], commune="97415").status_code == 403
    assert not News.objects.exists()


@pytest.mark.parametrize("body", [
    {"commune": "97415", "location": OUTSIDE}, {"commune": "97415", "location": {"lon": 500}},
    {"commune": "97415", "title": ""}, {"commune": "97415", "body": "x" * 20001},
    {"commune": "97415", "actor": 1}, {"title": "t"}, {"commune": "97415", "colour": "red"},
    {"commune": "97415", "location": {"type": "Point", "coordinates": [55.45, -20.88]}},
])  # fmt: skip
def test_bad_news_is_refused_whole(client, roles, body):
    answer = news(client, roles["moderator"], **body)
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert not News.objects.exists()


def test_markdown_is_sanitised(client, roles):
    made = news(client, roles["moderator"], commune="97415",
                body='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=1>')
    html = News.objects.get(pk=made.json()["id"]).body_html
    assert "<script" not in html and "href=\"javascript" not in html and "<img" not in html


def test_comments_and_reports(client, roles):
    item = news(client, roles["moderator"], commune="97415").json()["id"]
    as_(client, None)
    assert post(client, f"/api/v1/news/{item}/comments", {"body": "Bravo"}).status_code == 401
    assert post(client, f"/api/v1/news/{item}/reports", {"reason": "faux"}).status_code == 201
    as_(client, roles["resident"])
    assert post(client, f"/api/v1/news/{item}/comments", {"body": "Bravo"}).status_code == 201
    comments = client.get(f"/api/v1/news/{item}").json()["comments"]
    assert [(c["author"], c["body"]) for c in comments] == [("paula", "Bravo")]


def test_pending_news_is_listed_for_its_author_and_the_communes_moderators(client, roles):
    news(client, roles["resident"], commune="97415", title="En attente")
    news(client, roles["moderator"], commune="97415", title="Publiée")
    for user, expected in [(None, []), (roles["elsewhere"], []),
                           (roles["other_moderator"], []), (roles["resident"], ["En attente"]),
                           (roles["moderator"], ["En attente"])]:  # fmt: skip
        as_(client, user)
        pending = client.get("/api/v1/news?commune=97415&status=pending").json()["news"]
        assert [item["title"] for item in pending] == expected, user
        published = client.get("/api/v1/news?commune=97415").json()["news"]
        assert [item["title"] for item in published] == ["Publiée"]
    assert client.get("/api/v1/news?status=secret").status_code == 400
