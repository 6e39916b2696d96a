"""Casting a ballot: one per person and proposal, changeable until the vote closes.

The UNIQUE constraint (proposal, voter) with ``INSERT … ON CONFLICT DO UPDATE`` makes two ballots
of one person sent at the same moment count once, without a check-then-insert race. The same
statement reads the proposal row ``FOR SHARE`` and writes only while it is ``voting``: closing
takes the row ``FOR UPDATE`` and so waits for ballots in flight, and a ballot waiting on the close
sees the closed row (PostgreSQL rechecks a locked row's condition) and writes nothing. One
statement, so no transaction around it: a ballot is a single round trip to the database.
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import Http404

from geo_civic.participation.eligibility import require_taking_part
from geo_civic.participation.errors import Invalid, WrongState
from geo_civic.participation.judgement import GRADES
from geo_civic.participation.models import Choice, Method, Proposal, Status

UPSERT_VOTE = """
WITH open AS (
    SELECT id FROM participation_proposal WHERE id = %s AND status = 'voting' FOR SHARE
)
INSERT INTO participation_vote
    (proposal_id, voter_id, commune_id, choice, grades, approvals, cast_at, updated_at)
SELECT open.id, %s, %s, %s, %s::jsonb, %s::bigint[], now(), now() FROM open
ON CONFLICT (proposal_id, voter_id) DO UPDATE SET
    commune_id = EXCLUDED.commune_id, choice = EXCLUDED.choice, grades = EXCLUDED.grades,
    approvals = EXCLUDED.approvals, updated_at = now()
RETURNING id, (xmax = 0)
"""


def ballot(proposal: Proposal, payload: dict) -> tuple[str, dict, list[int]]:
    """The ballot (choice, grades, approvals) ``payload`` expresses for this proposal's method."""
    if not isinstance(payload, dict):
        raise Invalid("a ballot is a JSON object")
    if proposal.method == Method.MAJORITY:
        choice = payload.get("choice")
        if choice not in Choice.values:
            raise Invalid(f"choice must be one of {', '.join(Choice.values)}")
        return choice, {}, []
    option_ids = set(proposal.options.values_list("pk", flat=True))
    if proposal.method == Method.JUDGEMENT:
        grades = payload.get("grades")
        if not isinstance(grades, dict) or not grades:
            raise Invalid("grades: an object giving each option id a grade")
        ballot_grades = {}
        for key, grade in grades.items():
            if not str(key).isdigit() or int(key) not in option_ids:
                raise Invalid(f"unknown option {key!r}")
            if grade not in GRADES:
                raise Invalid(f"unknown grade {grade!r}: one of {', '.join(GRADES)}")
            ballot_grades[str(int(key))] = GRADES.index(grade)
        return "", ballot_grades, []
    approve = payload.get("approve")
    if not isinstance(approve, list) or not all(
        isinstance(o, int) and not isinstance(o, bool) for o in approve
    ):
        raise Invalid("approve: a list of option ids")
    unknown = set(approve) - option_ids
    if unknown:
        raise Invalid(f"unknown option(s) {sorted(unknown)}")
    return "", {}, sorted(set(approve))


def _not_open(status: str) -> WrongState:
    if status in (Status.DRAFT, Status.DEBATE):
        return WrongState("the vote is not open yet")
    return WrongState(f"the vote is not open: the proposal is {status}")


def cast(user, proposal: Proposal, payload: dict) -> tuple[int, bool]:
    """Record ``user``'s ballot: its id, and True when it is their first on this proposal.

    ``proposal`` as read by the request (with its space) says early why a vote is refused; the
    upsert itself writes only while the proposal is ``voting`` (see the module docstring)."""
    residence = require_taking_part(user, proposal.space)
    if proposal.status != Status.VOTING:
        raise _not_open(proposal.status)
    choice, grades, approvals = ballot(proposal, payload)
    commune_id = residence.commune_id if residence else None
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT_VOTE,
            [proposal.pk, user.pk, commune_id, choice, json.dumps(grades), approvals],
        )
        written = cursor.fetchone()
    if written is None:  # closed (or moved back) since the request read it
        status = Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).first()
        raise _not_open(status or Status.WITHDRAWN)
    ballot_id, created = written
    return ballot_id, created


def own_ballot(user, proposal: Proposal) -> dict:
    """The ballot ``user`` cast on ``proposal``, for them alone (their page, their export)."""
    vote = proposal.votes.filter(voter=user).first()
    if vote is None:
        raise Http404("you have not voted on this proposal")
    grades = {key: GRADES[index] for key, index in vote.grades.items()}
    return {"choice": vote.choice or None, "grades": grades, "approve": vote.approvals,
            "updated_at": vote.updated_at.isoformat()}  # fmt: skip
