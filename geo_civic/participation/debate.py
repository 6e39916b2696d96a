"""The debate: threaded comments (edits kept) and amendments voted during the debate.

An amendment is the whole text as its author would have it, shown as a unified diff against
the version it amends. At the end of the debate each is adopted with the proposal's threshold
(see ``lifecycle.decide_amendments``).
"""

from __future__ import annotations

import difflib

from django.db import connection, transaction
from django.utils import timezone

from geo_civic.participation.eligibility import require_taking_part, runs
from geo_civic.participation.errors import Invalid, NotAllowed, WrongState
from geo_civic.participation.models import (
    Amendment,
    Choice,
    Comment,
    CommentEdit,
    Proposal,
    Status,
)
from geo_civic.participation.proposals import _text

COMMENTING = (Status.DEBATE, Status.VOTING)


def visible_to(user, proposal: Proposal) -> bool:
    """A draft is its author's and the space's runners' alone."""
    if proposal.status != Status.DRAFT:
        return True
    return user.is_authenticated and (proposal.author_id == user.pk or runs(user, proposal.space))


def comment(user, proposal: Proposal, body, parent_id=None) -> Comment:
    require_taking_part(user, proposal.space)
    if proposal.status not in COMMENTING:
        raise WrongState(f"comments are open during the debate and the vote, not {proposal.status}")
    parent = None
    if parent_id is not None:
        if isinstance(parent_id, bool) or not isinstance(parent_id, int):
            raise Invalid("parent is a comment id")
        parent = Comment.objects.filter(pk=parent_id, proposal=proposal).first()
        if parent is None:
            raise Invalid("parent is not a comment of this proposal")
    return Comment.objects.create(
        proposal=proposal, parent=parent, author=user, body=_text(body, "body", 10000)
    )


@transaction.atomic
def edit_comment(user, comment_: Comment, body) -> Comment:
    if comment_.author_id != user.pk:
        raise NotAllowed("only its author edits a comment")
    body = _text(body, "body", 10000)
    CommentEdit.objects.create(comment=comment_, body=comment_.body)
    comment_.body = body
    comment_.edited_at = timezone.now()
    comment_.save(update_fields=["body", "edited_at"])
    return comment_


def hide_comment(user, comment_: Comment, reason) -> Comment:
    """A moderator of the space hides a comment; the reason is shown in its place."""
    if not runs(user, comment_.proposal.space):
        raise NotAllowed("only the space's moderators hide a comment")
    comment_.hidden_reason = _text(reason, "reason", 2000)
    comment_.save(update_fields=["hidden_reason"])
    return comment_


def current_version(proposal: Proposal):
    return proposal.versions.order_by("-number").first()


def amend(user, proposal: Proposal, body) -> Amendment:
    require_taking_part(user, proposal.space)
    if proposal.status != Status.DEBATE:
        raise WrongState("amendments are proposed during the debate")
    body = _text(body, "body", 50000)
    base = current_version(proposal)
    if body == base.body:
        raise Invalid("the amended text is the same as the current one")
    diff = "\n".join(
        difflib.unified_diff(
            base.body.splitlines(),
            body.splitlines(),
            f"version {base.number}",
            "amended",
            lineterm="",
        )
    )
    return Amendment.objects.create(
        proposal=proposal, author=user, base_version=base, body=body, diff=diff
    )


UPSERT_AMENDMENT_VOTE = """
INSERT INTO participation_amendmentvote (amendment_id, voter_id, choice, updated_at)
VALUES (%s, %s, %s, now())
ON CONFLICT (amendment_id, voter_id)
DO UPDATE SET choice = EXCLUDED.choice, updated_at = now()
RETURNING id, (xmax = 0)
"""


@transaction.atomic
def vote_amendment(user, amendment: Amendment, choice) -> tuple[int, bool]:
    """Record (or change) ``user``'s vote on ``amendment``: its id, True for a first vote."""
    if choice not in Choice.values:
        raise Invalid(f"choice must be one of {', '.join(Choice.values)}")
    require_taking_part(user, amendment.proposal.space)
    with connection.cursor() as cursor:
        # Shares the proposal row's lock with other voters; the end of the debate waits for us.
        cursor.execute(
            "SELECT status FROM participation_proposal WHERE id = %s FOR SHARE",
            [amendment.proposal_id],
        )
        (status,) = cursor.fetchone()
        state = Amendment.objects.filter(pk=amendment.pk).values_list("state", flat=True).get()
        if status != Status.DEBATE or state != Amendment.State.OPEN:
            raise WrongState("amendments are voted during the debate")
        cursor.execute(UPSERT_AMENDMENT_VOTE, [amendment.pk, user.pk, choice])
        ballot_id, created = cursor.fetchone()
    return ballot_id, created
