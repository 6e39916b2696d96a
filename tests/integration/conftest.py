"""Playwright for Python driving Debian's Chromium; map tiles come from a local image."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the live server and the
# database fixtures are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def grey_tile_png(size: int = 256) -> bytes:
    """A plain light-grey PNG tile, made here so tests never fetch a basemap."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xe4" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, **context_options):
    """A page in a fresh context whose basemap tiles come from a local image.

    ``page.errors`` collects uncaught exceptions and console errors (so a Content Security
    Policy violation or a failed load is caught).
    """
    context = browser.new_context(locale="fr-FR", **context_options)
    tile = grey_tile_png()
    # As OpenStreetMap's tile servers, CORS allowed (the service worker asks with CORS).
    context.route(
        "https://tiles.test/**",
        lambda route: route.fulfill(
            status=200,
            content_type="image/png",
            body=tile,
            headers={"Access-Control-Allow-Origin": "*"},
        ),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    return context, page


@pytest.fixture
def page(browser, settings):
    settings.GEO_CIVIC_BASEMAP_URL = "https://tiles.test/{z}/{x}/{y}.png"
    context, page = open_page(browser, viewport={"width": 1280, "height": 800})
    yield page
    context.close()


@pytest.fixture
def phone(browser, settings):
    """A 360 px wide touch screen, as many residents have."""
    settings.GEO_CIVIC_BASEMAP_URL = "https://tiles.test/{z}/{x}/{y}.png"
    context, page = open_page(
        browser, viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
    )
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return save
