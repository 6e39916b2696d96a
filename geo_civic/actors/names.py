"""Name keys: how two spellings of one initiative are recognised as the same name."""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify

NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """Lower case, accents and punctuation removed, words joined by one space.

    ``"  Jardin partagé  du Chaudron!"`` and ``"JARDIN PARTAGE DU CHAUDRON"`` share a key.
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return NOT_ALNUM.sub(" ", ascii_text).strip()


def actor_slug(name: str) -> str:
    """The readable part of an actor's permalink (``/acteurs/<id>-<slug>/``)."""
    return slugify(name_key(name))[:80] or "acteur"
