"""On a phone: a notification shows in the header count and the list; marking it read clears
the count. The push button subscribes the device, or says why it cannot."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from geo_civic.notifications.delivery import notify
from geo_civic.notifications.models import VapidKey

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


def test_the_push_button_subscribes_this_device_or_says_why(live_server, browser, settings):
    """Headless Chromium has no push service to subscribe with: the page must say so in words
    (the whole chain up to ``pushManager.subscribe`` ran: worker, permission, VAPID key)."""
    from tests.integration.conftest import open_page

    User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    context, page = open_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True,
                              has_touch=True)  # fmt: skip
    context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(live_server.url + "/comptes/login/?next=/notifications/preferences/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.click("button[type=submit]")
    page.get_by_role("button", name="Recevoir les notifications sur cet appareil").click()
    status = page.locator("#push-status")
    expect(status).to_have_text("Ce navigateur n’a pas pu s’abonner aux notifications.",
                                timeout=15_000)  # fmt: skip
    assert VapidKey.objects.exists()  # the page asked for the key, after worker and permission
    assert page.evaluate("async () => (await navigator.serviceWorker.ready).active !== null")
    assert [e for e in page.errors if "Push API in incognito" not in e] == []
    context.close()
