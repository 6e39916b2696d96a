"""On a phone: a notification shows in the header count and the list; marking it read clears
the count."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from geo_civic.notifications.delivery import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_notification_appears_and_is_marked_read_on_a_phone(live_server, phone, screenshot):
    lea = User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    notify([lea.pk], kind="proposal_voting", title="Le vote sur le jardin est ouvert",
           url="/communes/97415/", key="vote:1")  # fmt: skip
    page = phone
    page.goto(live_server.url + "/comptes/login/?next=/contribuer/mes-fiches/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.click("button[type=submit]")
    badge = page.locator("header.site .notifications-link .badge")
    expect(badge).to_have_text("1")
    page.locator("header.site .notifications-link").click()
    item = page.locator("ul.notifications li.unread")
    expect(item).to_contain_text("Le vote sur le jardin est ouvert")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(page, "notifications-360px")
    item.get_by_role("button", name="Marquer comme lu").click()
    expect(page.locator("ul.notifications li.read")).to_have_count(1)
    expect(badge).to_have_count(0)
    assert page.errors == []
