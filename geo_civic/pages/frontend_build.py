"""What the front-end build (scripts/build.mjs) produced, for the pages and the service worker.

``static_build/entries.json`` lists each page's bundle, the chunks it imports and its CSS: the one
list of modules, read here rather than written again in Python, templates or the service worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static


@dataclass(frozen=True)
class Entry:
    """One page's bundle, as paths under the static root (``build/map.js``)."""

    js: str | None
    css: str | None
    preload: tuple[str, ...]  # chunks the bundle imports at once
    lazy: tuple[str, ...]  # chunks it may import later


def build_dir() -> Path:
    return Path(settings.GEO_CIVIC_BUILD_DIR)


@lru_cache(maxsize=4)
def _read(path: Path, mtime: float) -> dict[str, Entry]:
    raw = json.loads(path.read_text())
    return {
        name: Entry(e["js"], e["css"], tuple(e["preload"]), tuple(e["lazy"]))
        for name, e in raw.items()
    }


def entries() -> dict[str, Entry]:
    """Every page's bundle; re-read when the build changes it."""
    path = build_dir() / "entries.json"
    try:
        return _read(path, path.stat().st_mtime)
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"{path} is missing: run `make install` (it builds the front end)"
        ) from None


def entry(name: str) -> Entry:
    return entries()[name]


def entry_url(path: str) -> str:
    """The URL of a bundle or its CSS: through the static storage (hashed in production)."""
    return static(path)


def chunk_url(path: str) -> str:
    """The URL a bundle's ``import "./chunks/…"`` resolves to: chunks keep esbuild's name.

    Bundles are collected next to their hashed copies, so a relative import from either finds
    the chunk under its own (already content-hashed) name.
    """
    return settings.STATIC_URL.rstrip("/") + "/" + path


def page_files(name: str) -> list[str]:
    """Every URL a page's bundle may load: the service worker's precache list."""
    e = entry(name)
    urls = [entry_url(path) for path in (e.js, e.css) if path]
    urls += [chunk_url(path) for path in (*e.preload, *e.lazy)]
    return [url if url.startswith("/") else "/" + url for url in urls]

