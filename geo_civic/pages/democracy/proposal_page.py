"""A proposal's page: its text and versions, its life, the debate, the vote and the results.

The voter sees their own ballot and nobody else's; while the vote is open only the number of
voters and the participation are shown, the tallies once it is closed (``results.py``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from geo_civic.actors.markdown_text import render_markdown
from geo_civic.pages.democracy.forms import AmendmentForm, CommentForm
from geo_civic.pages.democracy.texts import GRADE_CHOICES, diff_html, why_not
from geo_civic.participation import results as tallies
from geo_civic.participation.debate import visible_to
from geo_civic.participation.eligibility import runs
from geo_civic.participation.errors import WrongState
from geo_civic.participation.judgement import GRADES
from geo_civic.participation.lifecycle import NEXT
from geo_civic.participation.models import AmendmentVote, Choice, Method, Proposal, Status, Vote
from geo_civic.participation.statuses import OUTCOMES


def find_proposal(request: HttpRequest, pk: int) -> Proposal:
    """The proposal if the reader may see it (a draft: its author and the runners); else 404."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("space__commune", "space__epci", "space__departement",
                                        "space__actor", "author"), pk=pk)  # fmt: skip
    if not visible_to(request.user, proposal):
        raise Http404(_("No proposal at this address."))
    return proposal


def comment_tree(proposal: Proposal) -> list[dict]:
    """Top-level comments, each with its replies (any depth), oldest first."""
    comments = list(proposal.comments.select_related("author").prefetch_related("edits"))
    children: dict[int | None, list] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)

    def node(comment) -> dict:
        return {"comment": comment, "replies": [node(c) for c in children.get(comment.pk, [])]}

    return [node(c) for c in children.get(None, [])]


def own_ballot(user, proposal: Proposal) -> Vote | None:
    """The reader's own ballot: theirs alone to see."""
    if not user.is_authenticated:
        return None
    return Vote.objects.filter(proposal=proposal, voter=user).first()


def version_diff(proposal: Proposal, versions: list, request: HttpRequest):
    """``?from=&to=`` version numbers (default: the last two) and their word diff."""
    if len(versions) < 2:
        return None
    numbers = [v.number for v in versions]
    try:
        old = int(request.GET.get("from", numbers[-2]))
        new = int(request.GET.get("to", numbers[-1]))
    except ValueError:
        old, new = numbers[-2], numbers[-1]
    by_number = {v.number: v for v in versions}
    if old not in by_number or new not in by_number:
        old, new = numbers[-2], numbers[-1]
    return {"from": old, "to": new, "html": diff_html(by_number[old].body, by_number[new].body)}


def results_of(proposal: Proposal) -> dict | None:
    try:
        found = tallies.open_results(proposal)
    except WrongState:
        return None
    if "outcome" in found:
        found["outcome_label"] = OUTCOMES.get(found["outcome"], found["outcome"])
    if proposal.method == Method.JUDGEMENT and "ranking" in found:
        labels = dict(zip(GRADES, (str(label) for _g, label in GRADE_CHOICES), strict=True))
        for row in found["ranking"]:
            row["grade_label"] = labels.get(row["grade"], "")
            row["distribution"] = [(labels[g], n) for g, n in row["grades"].items() if n]
    return found


def ballot_view(proposal: Proposal, ballot: Vote | None, options: list) -> dict:
    """The reader's ballot as the vote form shows it checked."""
    if ballot is None:
        return {"choice": "", "grades": {}, "approve": set()}
    grades = {int(k): GRADES[v] for k, v in ballot.grades.items()}
    return {"choice": ballot.choice, "grades": grades, "approve": set(ballot.approvals)}


@require_safe
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = find_proposal(request, pk)
    space = proposal.space
    user = request.user
    versions = list(proposal.versions.all())
    current = versions[-1] if versions else None
    options = list(proposal.options.all())
    ballot = own_ballot(user, proposal)
    amendments = list(proposal.amendments.select_related("author", "base_version"))
    my_amendment_votes = (
        dict(AmendmentVote.objects.filter(voter=user, amendment__proposal=proposal)
             .values_list("amendment_id", "choice"))
        if user.is_authenticated else {}
    )  # fmt: skip
    for amendment in amendments:
        amendment.diff_html = diff_html(amendment.base_version.body, amendment.body)
        amendment.my_vote = my_amendment_votes.get(amendment.pk, "")
    reason = why_not(user, space)
    running = runs(user, space)
    context = {
        "proposal": proposal,
        "space": space,
        "body_html": render_markdown(current.body if current else proposal.body),
        "versions": versions,
        "current": current,
        "compare": version_diff(proposal, versions, request),
        "transitions": list(proposal.transitions.select_related("by")),
        "comments": comment_tree(proposal),
        "amendments": amendments,
        "options": options,
        "grades": GRADE_CHOICES,
        "choices": Choice.choices,
        "ballot": ballot,
        "checked": ballot_view(proposal, ballot, options),
        "results": results_of(proposal),
        "reason": reason,
        "takes_part": reason is None,
        "runs": running,
        "next_states": [(s, Status(s).label) for s in sorted(NEXT[proposal.status])]
        if running else [],
        "comment_form": CommentForm(),
        "amendment_form": AmendmentForm(initial={"body": current.body if current else ""}),
        "commenting": proposal.status in (Status.DEBATE, Status.VOTING),
        "amending": proposal.status == Status.DEBATE,
        "voting": proposal.status == Status.VOTING,
    }  # fmt: skip
    return render(request, "participation/proposal.html", context)
