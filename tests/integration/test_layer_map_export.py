"""The folium export, opened offline in Chromium as a reader of the newsroom's site would."""

import pytest
from playwright.sync_api import expect

from geo_civic.actors.models import Actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_exported_map_shows_the_features_offline_with_user_text_as_text(
    client, page, reunion_communes, tmp_path, screenshot
):
    Actor.objects.create(kind="place", name="Jardin partagé", point="POINT(55.4481 -20.8789)")
    Actor.objects.create(
        kind="place", name="<img src=x onerror=alert(1)>", point="POINT(55.4500 -20.8800)"
    )
    Actor.objects.create(kind="place", name="Ailleurs", point="POINT(55.4781 -21.3393)")
    response = client.get("/api/layers/actors.html?commune=97411")
    path = tmp_path / "carte.html"
    path.write_bytes(b"".join(response.streaming_content))

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    circles = page.locator("path.leaflet-interactive")
    expect(circles).to_have_count(2)
    shown = []
    for index in range(2):
        circles.nth(index).hover()
        tooltip = page.locator(".leaflet-tooltip").last
        expect(tooltip).to_be_visible()
        shown.append(tooltip.inner_text())
        page.mouse.move(5, 5)
    assert any("Jardin partagé" in text for text in shown)
    assert any("<img src=x onerror=alert(1)>" in text for text in shown)  # shown as text
    assert page.locator("img[src='x']").count() == 0  # never parsed as HTML
    assert page.locator("#geocivic-credits").inner_text().startswith("Acteurs")
    screenshot(page, "folium-export")
    assert page.errors == []
    # Self-contained: nothing is fetched but the page, inlined data and the basemap tiles.
    assert all(u.startswith(("file:", "data:", "https://tiles.test/")) for u in requests), requests
