"""Residents follow a commune's agenda in their calendar and its news in a feed reader."""

from datetime import UTC, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from geo_civic.actors.models import Actor, Category

pytestmark = pytest.mark.django_db

SAINT_PAUL = "POINT(55.2700 -21.0096)"
SAINT_DENIS = "POINT(55.4481 -20.8789)"
ATOM = "{http://www.w3.org/2005/Atom}"


def event(name, point, days, **fields):
    start = timezone.now() + timedelta(days=days)
    return Actor.objects.create(
        kind="event", name=name, point=point, starts_at=start,
        ends_at=start + timedelta(hours=3), **fields,
    )  # fmt: skip


def unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def test_commune_agenda_lists_its_upcoming_published_events(client, reunion_communes):
    long_summary = "Fruits\net légumes " + "péi " * 30
    market = event("Marché forain; bio, local", SAINT_PAUL, 2, summary=long_summary)
    event("Fête passée", SAINT_PAUL, -10)
    event("En attente", SAINT_PAUL, 3, status="pending")
    event("À Saint-Denis", SAINT_DENIS, 3)
    response = client.get("/communes/97415/agenda.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    text = unfold(body)
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Marché forain\\; bio\\, local\r\n" in text
    assert "DESCRIPTION:Fruits\\net légumes " + "péi " * 30 + "\r\n" in text
    assert f"UID:actor-{market.pk}@testserver" in text
    assert f"URL:http://testserver/acteurs/{market.pk}-marche-forain-bio-local/" in text
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get("/communes/00000/agenda.ics").status_code == 404


def test_all_day_events_use_the_local_day_and_the_whole_map_agenda(client, reunion_communes):
    # 22:00 UTC is already the next day in La Réunion (UTC+4).
    start = (timezone.now() + timedelta(days=5)).replace(hour=22, minute=0, tzinfo=UTC)
    Actor.objects.create(kind="event", name="Foire", point=SAINT_DENIS, starts_at=start,
                         all_day=True)  # fmt: skip
    body = unfold(client.get("/agenda.ics").content.decode())
    local_day = start.date() + timedelta(days=1)
    assert f"DTSTART;VALUE=DATE:{local_day:%Y%m%d}\r\n" in body
    assert f"DTEND;VALUE=DATE:{local_day + timedelta(days=1):%Y%m%d}\r\n" in body


def test_category_agenda_includes_its_subcategories(client, reunion_communes):
    food = Category.objects.create(name="Alimentation", slug="alimentation")
    amap = Category.objects.create(name="AMAP", slug="amap", parent=food)
    distribution = event("Distribution AMAP", SAINT_PAUL, 1)
    distribution.categories.add(amap)
    event("Concert", SAINT_PAUL, 1)
    body = unfold(client.get("/categories/alimentation/agenda.ics").content.decode())
    assert "SUMMARY:Distribution AMAP" in body and "Concert" not in body


def test_commune_news_feed_lists_new_and_updated_actors(client, reunion_communes):
    Actor.objects.create(kind="place", name="Repair café", point=SAINT_PAUL, summary="Le samedi")
    Actor.objects.create(kind="place", name="Caché", point=SAINT_PAUL, status="draft")
    Actor.objects.create(kind="place", name="Ailleurs", point=SAINT_DENIS)
    response = client.get("/communes/97415/nouveautes.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "GeoCivic – nouveautés à Saint-Paul"
    assert [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")] == ["Repair café"]


def test_actor_page_links_its_commune_feeds(client, reunion_communes):
    actor = Actor.objects.create(kind="place", name="Tiers-lieu", point=SAINT_PAUL)
    page = client.get(actor.get_absolute_url()).content.decode()
    assert 'href="/communes/97415/agenda.ics"' in page
    assert 'href="/communes/97415/nouveautes.atom"' in page


def test_news_feed_gives_summaries_and_names_as_plain_text(client, reunion_communes):
    Actor.objects.create(
        kind="place", name="<i>Jardin</i> & co", summary="<b>x</b> & <script>y</script>",
        point=SAINT_PAUL,
    )  # fmt: skip
    feed = ElementTree.fromstring(client.get("/communes/97415/nouveautes.atom").content)
    entry = feed.find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "<b>x</b> & <script>y</script>"
    title = entry.find(f"{ATOM}title")
    assert title.get("type", "text") == "text" and title.text == "<i>Jardin</i> & co"
    assert all(e.get("type", "text") == "text" for e in feed.iter() if e.tag != f"{ATOM}link")
