"""The pages: follow buttons on a commune and an actor, my feed, a news item with its images,
a profile showing only what is public."""

from __future__ import annotations

import pytest

from geo_civic.social.models import Follow
from tests.participation.conftest import as_, post
from tests.social.test_images import multipart, photo_with_gps

pytestmark = pytest.mark.django_db


def test_follow_from_the_commune_page_then_read_the_feed(client, roles, association):
    resident = roles["elsewhere"]
    as_(client, resident)
    page = client.get("/communes/97415/")
    assert b'data-subject="commune"' in page.content and b"0 abonn" in page.content
    saint_paul = association.commune
    answer = client.post("/suivre/", {"subject": "commune", "target": saint_paul.pk,
                                      "next": "/communes/97415/"})  # fmt: skip
    assert answer.status_code == 302 and answer["Location"] == "/communes/97415/"
    assert Follow.objects.filter(user=resident, subject="commune").exists()
    assert b'aria-pressed="true"' in client.get("/communes/97415/").content
    assert b'data-subject="actor"' in client.get(association.get_absolute_url()).content
    as_(client, roles["moderator"])
    made = post(client, "/api/v1/news", {"commune": "97415", "title": "Kermesse", "body": "b"})
    multipart(client, made.json()["id"], photo_with_gps(800, 600))
    as_(client, resident)
    feed = client.get("/fil/")
    assert b"Kermesse" in feed.content
    news = client.get(f"/actualites/{made.json()['id']}/")
    assert news.status_code == 200 and b"srcset=" in news.content
    image = news.content.split(b'src="', 1)[1].split(b'"', 1)[0].decode()
    assert client.get(image)["Content-Type"] == "image/jpeg"
    # Clicking again unfollows; a hostile "next" goes home.
    answer = client.post("/suivre/", {"subject": "commune", "target": saint_paul.pk,
                                      "next": "https://evil.example/"})  # fmt: skip
    assert answer["Location"] == "/" and not Follow.objects.filter(user=resident).exists()


def test_anonymous_visitors_are_asked_to_log_in(client, roles):
    assert client.get("/fil/").status_code == 302
    assert client.post("/suivre/", {"subject": "commune", "target": 1}).status_code == 302
    assert not Follow.objects.exists()


def test_a_profile_page_shows_only_public_items(client, roles):
    from geo_civic.social.models import Profile

    Profile.objects.create(user=roles["resident"], bio="Secret bio", display_name="Paula")
    page = client.get("/personnes/paula/")
    assert page.status_code == 200 and b"@paula" in page.content and b"Paula" not in page.content
    assert b"Secret bio" not in page.content and b"Saint-Paul" not in page.content
    assert client.get("/personnes/nobody/").status_code == 404


def test_the_admin_lists_news_reports_activities_and_memberships(admin_client, roles,
                                                                 association):  # fmt: skip
    from geo_civic.actors.models import Membership
    from geo_civic.social.news import post_news, report

    item = post_news(roles["moderator"], commune_code="97415", title="Admin", body="b")
    report(roles["resident"], item, "faux")
    Membership.objects.create(actor=association, user=roles["resident"])
    for path in ("social/news", "social/newsreport", "social/activity", "actors/membership",
                 f"social/news/{item.pk}/change"):  # fmt: skip
        answer = admin_client.get(f"/admin/{path}/")
        assert answer.status_code == 200, path
