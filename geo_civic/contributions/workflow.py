"""The contribution and moderation flow, shared by the site's forms and the app API.

A contribution by a resident waits for a moderator (``pending``); trusted contributors and the
moderators of its commune publish at once; a draft stays its author's. A decision (publish,
reject, archive) by a moderator of the entry's commune, with a reason when it refuses. Every
change is a revision (``history``), so any of them can be undone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from geo_civic.actors.models import Actor
from geo_civic.contributions import history
from geo_civic.contributions.forms import ActorForm, DecisionForm, commune_of
from geo_civic.contributions.models import ActorRevision, Report
from geo_civic.contributions.permissions import can_moderate, moderated_actors, publishes_directly

DECISIONS = {
    "approve": (Actor.Status.PUBLISHED, ActorRevision.Action.APPROVED),
    "reject": (Actor.Status.REJECTED, ActorRevision.Action.REJECTED),
    "archive": (Actor.Status.ARCHIVED, ActorRevision.Action.ARCHIVED),
}


class Refused(ValueError):
    """A decision or contribution that cannot be taken as given; ``errors`` by field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def save_contribution(user, form: ActorForm, *, created: bool, draft: bool) -> Actor:
    """Save a valid form as ``user``'s contribution: its status decided by who they are."""
    with transaction.atomic():
        actor = form.save(commit=False)
        if created:
            actor.owner = user
        if draft:
            actor.status = Actor.Status.DRAFT
        elif publishes_directly(user, commune_of(actor.point)):
            actor.status = Actor.Status.PUBLISHED
        else:
            actor.status = Actor.Status.PENDING
        actor.moderation_note = ""
        actor.possible_duplicate_of = actor.likely_duplicates().first()
        actor.save()
        form.save_m2m()
        action = ActorRevision.Action.CREATED if created else ActorRevision.Action.EDITED
        history.record(actor, user, action)
    return actor


def decide(user, actor: Actor, data: dict) -> Actor:
    """A moderator's decision ``{"decision", "reason"}`` on ``actor``: refused out of scope,
    and without a reason when it rejects or archives (the author is told why)."""
    if not can_moderate(user, actor):
        raise PermissionDenied(_("This entry is not in your moderation scope."))
    form = DecisionForm(data)
    if not form.is_valid():
        raise Refused({k: [str(e) for e in v] for k, v in form.errors.items()})
    status, action = DECISIONS[form.cleaned_data["decision"]]
    with transaction.atomic():
        actor.status = status
        actor.moderation_note = form.cleaned_data["reason"].strip()
        actor.save(update_fields=["status", "moderation_note", "updated_at"])
        history.record(actor, user, action, actor.moderation_note)
    return actor


def report(user, actor: Actor, reason: str) -> Report:
    """Anyone's report that an entry is wrong: the moderators of its commune see it."""
    return Report.objects.create(
        actor=actor, reporter=user if user.is_authenticated else None, reason=reason
    )


def pending_for(user):
    """The entries awaiting ``user``'s review, oldest first (none when not a moderator)."""
    return (
        moderated_actors(user)
        .filter(status=Actor.Status.PENDING)
        .select_related("commune", "owner", "possible_duplicate_of")
        .defer("commune__boundary")
        .order_by("created_at", "pk")
    )


def open_reports_for(user):
    """The unresolved reports on entries ``user`` moderates, newest first."""
    return (
        Report.objects.filter(actor__in=moderated_actors(user), resolved=False)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
