"""A proposal's life: draft → debate → voting → closed → archived, or withdrawn with a reason.

Moderators move proposals on and may skip ahead (a draft straight to the vote); the periodic job
(``tasks.py``) applies the transitions that are due, debate → voting at ``voting_at`` and
voting → closed at ``closes_at``, and running it twice changes nothing. Leaving the debate
decides the amendments; closing makes the resolution that freezes the tallies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from geo_civic.participation.eligibility import runs
from geo_civic.participation.errors import Invalid, NotAllowed, WrongState
from geo_civic.participation.models import (
    Amendment,
    Proposal,
    Resolution,
    Status,
    Transition,
    Version,
)
from geo_civic.participation.results import final_results

NEXT = {
    Status.DRAFT: {Status.DEBATE, Status.VOTING, Status.WITHDRAWN},
    Status.DEBATE: {Status.VOTING, Status.WITHDRAWN},
    Status.VOTING: {Status.CLOSED, Status.WITHDRAWN},
    Status.CLOSED: {Status.ARCHIVED},
    Status.WITHDRAWN: {Status.ARCHIVED},
    Status.ARCHIVED: set(),
}


def _when(value, name: str) -> datetime | None:
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise Invalid(f"{name} is an ISO 8601 date-time with its offset")
    if moment <= timezone.now():
        raise Invalid(f"{name} is in the future")
    return moment


def transition(user, proposal: Proposal, to, reason="", voting_at=None, closes_at=None):
    """A moderator's move, optionally with the dates of the next ones (the periodic job applies
    them); refused (nothing changed) when not theirs or not possible."""
    if not runs(user, proposal.space):
        raise NotAllowed("only the space's moderators move a proposal on")
    if to not in Status.values:
        raise Invalid(f"to must be one of {', '.join(Status.values)}")
    if not isinstance(reason, str) or len(reason) > 2000:
        raise Invalid("reason: a text of at most 2000 characters")
    if to == Status.WITHDRAWN and not reason.strip():
        raise Invalid("a withdrawal gives its reason")
    voting_at, closes_at = _when(voting_at, "voting_at"), _when(closes_at, "closes_at")
    if voting_at and closes_at and closes_at <= voting_at:
        raise Invalid("closes_at comes after voting_at")
    return apply(proposal.pk, to, by=user, reason=reason.strip(), voting_at=voting_at,
                 closes_at=closes_at)  # fmt: skip


@transaction.atomic
def apply(proposal_id: int, to: str, by=None, reason: str = "", now: datetime | None = None,
          voting_at: datetime | None = None, closes_at: datetime | None = None):  # fmt: skip
    now = now or timezone.now()
    proposal = Proposal.objects.select_for_update().select_related("space").get(pk=proposal_id)
    proposal.voting_at = voting_at or proposal.voting_at
    proposal.closes_at = closes_at or proposal.closes_at
    if to not in NEXT[proposal.status]:
        raise WrongState(f"a {proposal.status} proposal cannot become {to}")
    space = proposal.space
    if proposal.status == Status.DEBATE:
        decide_amendments(proposal)
    if to == Status.DEBATE and (proposal.voting_at is None or proposal.voting_at <= now):
        proposal.voting_at = now + timedelta(days=space.debate_days)
    if to == Status.VOTING:
        proposal.voting_at = now
        if proposal.closes_at is None or proposal.closes_at <= now:
            proposal.closes_at = now + timedelta(days=space.voting_days)
    if to == Status.CLOSED:
        proposal.closes_at = now
        outcome, results = final_results(proposal)
        Resolution.objects.create(proposal=proposal, outcome=outcome, results=results)
    if to == Status.WITHDRAWN:
        proposal.withdrawn_reason = reason
    Transition.objects.create(
        proposal=proposal, from_status=proposal.status, to_status=to, by=by, reason=reason
    )
    proposal.status = to
    proposal.save(update_fields=["status", "voting_at", "closes_at", "withdrawn_reason"])
    return proposal


def decide_amendments(proposal: Proposal) -> None:
    """Each open amendment is adopted or rejected with the proposal's threshold, oldest first;
    an adopted one becomes the next version, unless the text it amends was replaced meanwhile."""
    for amendment in proposal.amendments.filter(state=Amendment.State.OPEN):
        votes = dict(amendment.votes.values_list("choice").annotate(n=Count("id")))
        yes, no = votes.get("for", 0), votes.get("against", 0)
        if not (yes > no and yes * 100 >= proposal.threshold * (yes + no)):
            amendment.state = Amendment.State.REJECTED
        else:
            current = proposal.versions.order_by("-number").first()
            if current.pk != amendment.base_version_id:
                amendment.state = Amendment.State.OUTDATED
            else:
                amendment.state = Amendment.State.ADOPTED
                Version.objects.create(
                    proposal=proposal, number=current.number + 1, body=amendment.body,
                    amendment=amendment,
                )
                proposal.body = amendment.body
                proposal.save(update_fields=["body"])
        amendment.save(update_fields=["state"])


def apply_due(now: datetime | None = None) -> int:
    """Apply every transition whose date has come; returns how many. Idempotent."""
    now = now or timezone.now()
    due = [
        (pk, Status.VOTING)
        for pk in Proposal.objects.filter(status=Status.DEBATE, voting_at__lte=now)
        .values_list("pk", flat=True)
    ] + [
        (pk, Status.CLOSED)
        for pk in Proposal.objects.filter(status=Status.VOTING, closes_at__lte=now)
        .values_list("pk", flat=True)
    ]
    done = 0
    for pk, to in due:
        try:
            apply(pk, to, now=now)
            done += 1
        except WrongState:  # moved meanwhile (a moderator, another worker)
            continue
    return done
