"""What makes the installed app feel like one: PNG icons, shortcuts, a share target.

The icons are committed PNGs drawn by scripts/make_icons.py; the shortcuts are the three things a
resident opens most (the map, what is near them, their feed).
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _


def _url(path: str) -> str:
    return "/" + static(path).lstrip("/")


def png_icons() -> list[dict[str, str]]:
    """192 and 512 px icons, and a maskable one (the launcher crops it to its shape)."""
    return [
        {"src": _url("geo_civic/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": _url("geo_civic/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": _url("geo_civic/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]


def app_extras() -> dict[str, Any]:
    """Shortcuts on the icon, and the share sheet's entry: a shared link or place to contribute."""
    icon = [{"src": _url("geo_civic/icons/icon-192.png"), "sizes": "192x192"}]
    return {
        "id": "/",
        "orientation": "any",
        "shortcuts": [
            {"name": _("Map"), "url": reverse("map"), "icons": icon},
            {"name": _("Near me"), "url": reverse("map") + "?near=me", "icons": icon},
            {"name": _("My feed"), "url": reverse("feed"), "icons": icon},
        ],
        "share_target": {
            "action": reverse("contribute"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
