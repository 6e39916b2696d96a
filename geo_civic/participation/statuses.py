"""The vocabulary of proposal statuses, said once: which are public, their words and colours.

``Status`` holds the values and labels; the map page sends ``for_the_map()`` to its JavaScript,
which takes labels and colours from there and nowhere else (as ``geo_civic/actors/kinds.py``
does for actor kinds).

Public on the map, the layers and their exports: ``debate``, ``voting``, ``closed``, and
``archived`` when the proposal was decided (it has a resolution). Never: a ``draft`` (its author
has not published it) nor a ``withdrawn`` proposal, or one archived after being withdrawn (a
moderator took it down with a reason; a map must not republish it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from geo_civic.participation.models import Status


@dataclass(frozen=True)
class StatusWords:
    value: str
    plural: Promise  # a filter's or a legend's label: "In debate"
    colour: str

    @property
    def label(self) -> str:
        return str(Status(self.value).label)


# The public statuses, in the order of a proposal's life.
PUBLIC_STATUSES: tuple[StatusWords, ...] = (
    StatusWords(Status.DEBATE, _("Proposals in debate"), "#0e7490"),
    StatusWords(Status.VOTING, _("Proposals to vote on"), "#b91c1c"),
    StatusWords(Status.CLOSED, _("Decided proposals"), "#4d7c0f"),
    StatusWords(Status.ARCHIVED, _("Archived proposals"), "#6b7280"),
)
PUBLIC_VALUES: tuple[str, ...] = tuple(s.value for s in PUBLIC_STATUSES)
BY_VALUE = {s.value: s for s in PUBLIC_STATUSES}


def public() -> Q:
    """The proposals anyone may see: published and never taken down by a moderator."""
    return Q(status__in=(Status.DEBATE, Status.VOTING, Status.CLOSED)) | Q(
        status=Status.ARCHIVED, resolution__isnull=False
    )


def for_the_map() -> list[dict[str, str]]:
    """The public statuses as the map's JavaScript reads them, in the language of the request."""
    return [
        {"value": s.value, "label": s.label, "plural": str(s.plural), "colour": s.colour}
        for s in PUBLIC_STATUSES
    ]


# A closed vote's outcome (``Resolution.outcome``) in words, for pages and feeds alike.
OUTCOMES = {
    "adopted": pgettext_lazy("outcome", "adopted"),
    "rejected": pgettext_lazy("outcome", "rejected"),
    "no_quorum": _("rejected: quorum not reached"),
    "chosen": _("an option was chosen"),
    "tie": _("no winner"),
    "funded": _("projects funded"),
}
