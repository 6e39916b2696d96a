"""The API page (Swagger UI from our bundle) and the open-data page, styled under our CSP.

Both once rendered unstyled: the policy (no inline script or style) blocked their inline
``<style>``. Here a real browser records every ``securitypolicyviolation`` event and console
error while the page draws: there must be none, and the styles must apply.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from geo_civic.actors.models import Actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: every CSP violation of the page, kept for the test to read.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


def test_api_docs_draw_every_operation_with_no_csp_violation(live_server, page, screenshot):
    page.add_init_script(RECORD_VIOLATIONS)
    elsewhere = []  # requests leaving the site (a validator badge, fonts, telemetry)
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url)
    )
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    # Swagger UI fetched /api/schema/ and drew its operations, grouped by tag.
    expect(page.locator(".opblock-summary-path", has_text="/api/nearby")).to_be_visible()
    assert page.locator(".opblock").count() > 20
    expect(page.locator(".opblock-tag", has_text="imports")).to_be_visible()
    # Opening an operation shows its parameters, as the document gives them.
    page.locator(".opblock-summary-path", has_text="/api/nearby").first.click()
    expect(page.locator(".parameters-container").first).to_contain_text("radius")
    # Swagger UI's own stylesheet applies: a GET badge is coloured, not plain text.
    badge = page.locator(".opblock-get .opblock-summary-method").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    screenshot(page, "api-docs")
    assert elsewhere == []
    assert violations(page) == []
    assert page.errors == []


def test_open_data_page_is_styled_with_no_csp_violation(live_server, page, screenshot):
    Actor.objects.create(kind="place", name="Kaz Repair", point="POINT(55.2700 -21.0096)")
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/data/")
    expect(page.locator("#layer-actors")).to_be_visible()
    table = page.locator("table")
    assert table.evaluate("e => getComputedStyle(e).borderCollapse") == "collapse"
    cell = page.locator("#layer-actors td.count")
    assert cell.evaluate("e => getComputedStyle(e).textAlign") == "right"
    # The site's header and footer, with the links to both pages.
    assert page.locator("header.site").evaluate("e => getComputedStyle(e).display") == "flex"
    expect(page.locator("footer.site a[href='/api/docs/']")).to_be_visible()
    screenshot(page, "open-data")
    assert violations(page) == []
    assert page.errors == []
