"""What a person does on a proposal's page: comment, edit, hide, amend, vote, move it on.

Each posts a form with CSRF to a service of ``geo_civic.participation`` and comes back to the
page, with the refusal (translated, with its reason) as a message when there is one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from geo_civic.pages.democracy.forms import (
    AmendmentForm,
    ChoiceForm,
    CommentForm,
    ReasonForm,
    TransitionForm,
    ballot_payload,
)
from geo_civic.pages.democracy.limits import too_fast
from geo_civic.pages.democracy.proposal_page import find_proposal
from geo_civic.pages.democracy.texts import refusal_text
from geo_civic.participation import debate, lifecycle, voting
from geo_civic.participation.errors import ParticipationError
from geo_civic.participation.models import Amendment, Comment, Method, Proposal


def _back(proposal: Proposal, anchor: str = "") -> HttpResponse:
    response = redirect("proposal", pk=proposal.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def _refused(request: HttpRequest, proposal: Proposal, error: ParticipationError) -> None:
    messages.error(request, refusal_text(error, request.user, proposal.space))


def _invalid(request: HttpRequest, form) -> None:
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


def _write(view):
    """Signed in, POST, within the write rate, on a proposal the person may see."""

    @login_required
    @require_POST
    def wrapped(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        proposal = find_proposal(request, pk)
        if refused := too_fast(request):
            return refused
        try:
            return view(request, proposal, **kwargs)
        except ParticipationError as error:
            _refused(request, proposal, error)
            return _back(proposal)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_write
def add_comment(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    form = CommentForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(proposal, "debate")
    made = debate.comment(request.user, proposal, form.cleaned_data["body"],
                          form.cleaned_data["parent"])  # fmt: skip
    messages.success(request, _("Your comment is published."))
    return _back(proposal, f"comment-{made.pk}")


@_write
def edit_comment(request: HttpRequest, proposal: Proposal, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id, proposal=proposal)
    form = CommentForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(proposal, f"comment-{comment.pk}")
    debate.edit_comment(request.user, comment, form.cleaned_data["body"])
    messages.success(request, _("Your comment is edited; its earlier text is kept."))
    return _back(proposal, f"comment-{comment.pk}")


@_write
def hide_comment(request: HttpRequest, proposal: Proposal, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id, proposal=proposal)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(proposal, f"comment-{comment.pk}")
    debate.hide_comment(request.user, comment, form.cleaned_data["reason"])
    messages.success(request, _("The comment is hidden; its reason is shown in its place."))
    return _back(proposal, f"comment-{comment.pk}")


@_write
def amend(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(proposal, "amendments")
    made = debate.amend(request.user, proposal, form.cleaned_data["body"])
    messages.success(request, _("Your amendment is proposed: it is voted during the debate."))
    return _back(proposal, f"amendment-{made.pk}")


@_write
def vote_amendment(request: HttpRequest, proposal: Proposal, amendment_id: int) -> HttpResponse:
    amendment = get_object_or_404(Amendment, pk=amendment_id, proposal=proposal)
    form = ChoiceForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(proposal, f"amendment-{amendment.pk}")
    debate.vote_amendment(request.user, amendment, form.cleaned_data["choice"])
    messages.success(request, _("Your vote on the amendment is recorded."))
    return _back(proposal, f"amendment-{amendment.pk}")


@_write
def vote(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    option_ids = list(proposal.options.values_list("pk", flat=True))
    payload = ballot_payload(proposal.method, request.POST, option_ids)
    if proposal.method == Method.JUDGEMENT and None in payload["grades"].values():
        messages.error(request, _("Give every option a grade."))
        return _back(proposal, "vote")
    if proposal.method == Method.MAJORITY and payload["choice"] is None:
        messages.error(request, _("Choose for, against or blank."))
        return _back(proposal, "vote")
    _ballot, first = voting.cast(request.user, proposal, payload)
    messages.success(request, _("Your vote is recorded.") if first else _("Your vote is changed."))
    return _back(proposal, "vote")


@_write
def move_on(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    form = TransitionForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(proposal, "moderation")
    lifecycle.transition(request.user, proposal, form.cleaned_data["to"],
                         form.cleaned_data["reason"], **form.dates())  # fmt: skip
    messages.success(request, _("The proposal has moved on."))
    return _back(proposal, "status")
