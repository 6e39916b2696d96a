"""On a phone: a resident follows a commune from its page, news is posted there, it appears in
their feed, and a real worker's fan-out tells them: the header's count, the notification."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from importers.communes import import_communes
from tests.conftest import REUNION
from tests.live_servers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_a_commune_then_read_its_news_in_my_feed_and_be_told(
    live_server, phone, test_data, screenshot, client
):
    import_communes(test_data(REUNION))
    User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    moderator = User.objects.create_user("modo", "modo@example.org", "moderation-974")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    page = phone
    page.goto(live_server.url + "/comptes/login/?next=/communes/97415/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.click("button[type=submit]")
    follow = page.locator("form.follow button")
    expect(follow).to_have_text("Suivre")
    follow.tap()
    expect(page.locator(".messages")).to_contain_text("Vous suivez ceci")
    expect(page.locator("form.follow button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".follower-count")).to_have_text("1 abonné·e")

    # The commune's moderator posts news through the API.
    client.force_login(moderator)
    posted = client.post("/api/v1/news", {"commune": "97415", "title": "Nettoyage de la plage",
                                          "body": "Samedi **9 h**, gants fournis."},
                         content_type="application/json")  # fmt: skip
    assert posted.status_code == 201, posted.content

    page.get_by_role("link", name="Mon fil").tap()
    item = page.locator("#feed li.activity-news a")
    expect(item).to_have_text("Nettoyage de la plage")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(page, "feed-360px")
    item.tap()
    expect(page.locator("#news strong")).to_have_text("9 h")

    run_jobs("social")  # a real worker runs the fan-out
    page.reload()
    badge = page.locator("header.site .notifications-link .badge")
    expect(badge).to_have_text("1")
    page.locator("header.site .notifications-link").tap()
    expect(page.locator("ul.notifications li.unread")).to_contain_text("Nettoyage de la plage")
    assert page.errors == []
