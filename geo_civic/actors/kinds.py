"""The vocabulary of actor kinds, said once: the words pages use and the colour the map draws.

``Actor.Kind`` holds the values and their singular labels; the map page sends ``for_the_map()``
to its JavaScript, which takes labels and colours from there and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from geo_civic.actors.models import Actor


@dataclass(frozen=True)
class KindWords:
    value: str
    plural: Promise  # a filter's or a heading's label: "Organisations"
    indefinite: Promise  # "add an organisation"
    colour: str

    @property
    def label(self) -> str:
        return Actor.Kind(self.value).label


KINDS: tuple[KindWords, ...] = (
    KindWords(Actor.Kind.ORGANISATION, _("Organisations"), _("an organisation"), "#1b7f4b"),
    KindWords(Actor.Kind.PROJECT, _("Projects"), _("a project"), "#1f5fbf"),
    KindWords(Actor.Kind.EVENT, _("Events"), _("an event"), "#c2410c"),
    KindWords(Actor.Kind.PLACE, _("Places"), _("a place"), "#7c3aed"),
)
BY_VALUE = {kind.value: kind for kind in KINDS}


def for_the_map() -> list[dict[str, str]]:
    """The kinds as the map's JavaScript reads them, in the language of the request."""
    return [
        {"value": k.value, "label": str(k.label), "plural": str(k.plural), "colour": k.colour}
        for k in KINDS
    ]
