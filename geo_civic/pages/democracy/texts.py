"""What the pages say, in the reader's language: grades, reasons for refusals, text diffs.

The services speak English to programs (the API); a person reads the same refusal translated
here, with the facts that make it theirs (their commune, the space's eligibility).
"""

from __future__ import annotations

import difflib

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo_civic.participation.eligibility import refusal, residence_of
from geo_civic.participation.errors import (
    NotAllowed,
    NotEligible,
    OutsideTerritory,
    ParticipationError,
    WrongState,
)
from geo_civic.participation.judgement import GRADES
from geo_civic.participation.models import Eligibility, Space

# The 7 grades of majority judgement, best first, as GRADES (judgement.py) orders them.
GRADE_LABELS = (
    gettext_lazy("Excellent"),
    gettext_lazy("Very good"),
    gettext_lazy("Good"),
    gettext_lazy("Fairly good"),
    gettext_lazy("Passable"),
    gettext_lazy("Insufficient"),
    gettext_lazy("To reject"),
)
GRADE_CHOICES = list(zip(GRADES, GRADE_LABELS, strict=True))


def why_not(user, space: Space) -> str | None:
    """Why ``user`` may not take part in ``space``, in their language; None when they may."""
    reason = refusal(user, space)
    if reason is None:
        return None
    if not user.is_authenticated:
        return _("Log in to take part.")
    if space.eligibility == Eligibility.MEMBERS:
        return _("Only members of the actor take part in this space.")
    residence = residence_of(user)
    if residence is None or residence.commune_id is None:
        return _("Only residents take part in this space: say where you live first.")
    if "you live in" in reason:
        return _(
            "Only residents of the territory take part in this space; you live in %(commune)s."
        ) % {"commune": residence.commune.name}
    return _(
        "Only verified residents take part in this space: a moderator of your commune "
        "verifies residents."
    )


def why_yes(space: Space) -> str:
    """Why a person may take part, said beside the space's rules."""
    return {
        Eligibility.EVERYONE: _("Everyone signed in may take part: you may."),
        Eligibility.RESIDENTS: _("You live in the territory: you may take part."),
        Eligibility.VERIFIED_RESIDENTS: _("You are a verified resident: you may take part."),
        Eligibility.MEMBERS: _("You are a member of the actor: you may take part."),
    }[space.eligibility]


# The refusals a person can meet on the site, by the start of the services' English detail.
KNOWN = (
    ("options: a list of", gettext_lazy("Give 2 to 50 options, one a line.")),
    ("each project of a budget", gettext_lazy("Each project has a positive whole cost.")),
    ("a participatory budget has an envelope",
     gettext_lazy("A participatory budget has an envelope: a positive whole amount.")),
    ("a for/against vote has no options", gettext_lazy("A for/against vote has no options.")),
    ("the location is a point or an area",
     gettext_lazy("The location is a point or an area.")),
    ("the area is not a valid shape", gettext_lazy("The area is not a valid shape: its sides "
                                                   "must not cross.")),
    ("a quorum needs the population",
     gettext_lazy("A quorum needs the population of every commune, which is not known here.")),
    ("the amended text is the same",
     gettext_lazy("The amended text is the same as the current one.")),
    ("a withdrawal gives its reason", gettext_lazy("A withdrawal gives its reason.")),
    ("closes_at comes after voting_at",
     gettext_lazy("The vote closes after it opens.")),
    ("voting_at is in the future", gettext_lazy("The vote opens at a date to come.")),
    ("closes_at is in the future", gettext_lazy("The vote closes at a date to come.")),
    ("this actor is not published", gettext_lazy("This actor is not published.")),
    ("this territory has no current commune",
     gettext_lazy("This territory has no current commune.")),
    ("only an actor's space is limited to its members",
     gettext_lazy("Only an actor's space is limited to its members.")),
    ("comments are open during", gettext_lazy("Comments are open during the debate and the vote.")),
    ("amendments are proposed during",
     gettext_lazy("Amendments are proposed during the debate.")),
    ("amendments are voted during", gettext_lazy("Amendments are voted during the debate.")),
    ("the vote is not open", gettext_lazy("The vote is not open.")),
    ("only its author edits a comment", gettext_lazy("Only its author edits a comment.")),
    ("unknown option", gettext_lazy("This option is not one of the proposal's.")),
    ("unknown grade", gettext_lazy("Give every option a grade.")),
)  # fmt: skip


def refusal_text(error: ParticipationError, user=None, space: Space | None = None) -> str:
    """A service's refusal as a person reads it: translated where we know its kind."""
    if isinstance(error, NotEligible) and space is not None and user is not None:
        return why_not(user, space) or error.detail
    for start, said in KNOWN:
        if error.detail.startswith(start):
            return str(said)
    if isinstance(error, OutsideTerritory):
        return _("The location is not within the territory of the space: %(detail)s") % {
            "detail": error.detail.rpartition("(")[2].rstrip(")")
        }
    if isinstance(error, WrongState):
        return _("Not possible at this stage of the proposal (%(detail)s).") % {
            "detail": error.detail
        }
    if isinstance(error, NotAllowed):
        return _("You are not allowed to do this (%(detail)s).") % {"detail": error.detail}
    return error.detail


def diff_html(before: str, after: str) -> SafeString:
    """Words removed and added between two texts, as <del>/<ins> (escaped) for every reader."""
    old, new = before.split(" "), after.split(" ")
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("span", " ".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(("del", " ".join(old[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("ins", " ".join(new[j1:j2])))
    removed, added = _("removed:"), _("added:")
    return format_html_join(
        " ",
        "{}",
        (
            (
                format_html(
                    '<{tag}><span class="visually-hidden">{label} </span>{text}</{tag}>',
                    tag=tag,
                    label=removed if tag == "del" else added,
                    text=text,
                )
                if tag != "span"
                else format_html("{}", text),
            )
            for tag, text in parts
        ),
    )
