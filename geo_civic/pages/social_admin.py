"""Pages for the people who look after others' posts and members: the moderators' queue of
residents' news (approve or reject, with a reason the author reads) with the reports of news
and their comments (hide a comment, close a report), and an actor's membership
page for its administrators (join requests, members with their roles, invitations by e-mail).
The same rules as the API (``social.news``, ``social.memberships``); plain forms with CSRF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from geo_civic.actors.membership import is_administrator
from geo_civic.actors.models import Actor, Membership
from geo_civic.contributions.permissions import is_moderator
from geo_civic.participation.errors import ParticipationError
from geo_civic.social import memberships, news
from geo_civic.social.models import News, NewsComment, NewsReport


@login_required
def news_queue(request: HttpRequest) -> HttpResponse:
    """Residents' news waiting for a moderator of their commune, oldest first."""
    if not is_moderator(request.user):
        raise PermissionDenied(_("For moderators only."))
    waiting = news.pending_for(request.user).select_related("commune", "author")
    reports = list(news.open_reports_for(request.user).select_related("news")[:100])
    for report in reports:  # the comments under review, hidden ones aside
        report.comments = report.news.comments.filter(hidden=False).select_related("author")
    return render(request, "social/news_moderation.html", {
        "pending": waiting[:100], "reports": reports,
    })  # fmt: skip


@login_required
@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(NewsComment.objects.select_related("news"), pk=pk)
    try:
        news.hide_comment(request.user, item)
    except ParticipationError:
        raise PermissionDenied(_("This news item is not in your moderation scope.")) from None
    messages.info(request, _("The comment is hidden."))
    return redirect("news-moderation")


@login_required
@require_POST
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(NewsReport.objects.select_related("news"), pk=pk)
    try:
        news.resolve_report(request.user, item)
    except ParticipationError:
        raise PermissionDenied(_("This news item is not in your moderation scope.")) from None
    messages.info(request, _("The report is closed."))
    return redirect("news-moderation")


@login_required
@require_POST
def news_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(News, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to publish or to reject."))
        return redirect("news-moderation")
    try:
        news.decide(request.user, item, decision == "approve", request.POST.get("reason", ""))
    except ParticipationError as error:
        if error.status == 403:
            raise PermissionDenied(_("This news item is not in your moderation scope.")) from None
        messages.error(request, error.detail)
        return redirect("news-moderation")
    if decision == "approve":
        messages.success(request, _("Published: %(title)s") % {"title": item.title})
    else:
        messages.info(request, _("Rejected: %(title)s") % {"title": item.title})
    return redirect("news-moderation")


def _administered(request: HttpRequest, pk: int) -> Actor:
    actor = get_object_or_404(Actor, pk=pk)
    if not is_administrator(request.user, actor):
        raise PermissionDenied(_("For this actor's administrators only."))
    return actor


@login_required
def members_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _administered(request, pk)
    found = Membership.objects.filter(actor=actor).select_related("user").order_by("pk")
    return render(request, "social/members.html", {
        "actor": actor,
        "requests": [m for m in found if m.state == Membership.State.REQUESTED],
        "members": [m for m in found if m.state == Membership.State.ACTIVE],
        "roles": Membership.Role.choices,
    })  # fmt: skip


@login_required
@require_POST
def member_decide(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    """Accept a request, or refuse it / remove a member (``decision`` accept | remove)."""
    actor = _administered(request, pk)
    membership = get_object_or_404(Membership, pk=membership_id, actor=actor)
    decision = request.POST.get("decision")
    name = membership.user.get_username()
    if decision == "accept" and membership.state == Membership.State.REQUESTED:
        memberships.accept(request.user, membership)
        messages.success(request, _("%(name)s is now a member.") % {"name": name})
    elif decision == "remove":
        memberships.remove(request.user, membership)
        messages.info(request, _("%(name)s is no longer listed.") % {"name": name})
    else:
        messages.error(request, _("Nothing to do."))
    return redirect("actor-members", pk=actor.pk)


@login_required
@require_POST
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail an invitation; the administrator is told the same whether an account uses the
    address or not (nobody learns who has an account)."""
    actor = _administered(request, pk)
    email = request.POST.get("email", "").strip()
    if "@" not in email or len(email) > 254:
        messages.error(request, _("Give an e-mail address."))
        return redirect("actor-members", pk=actor.pk)
    try:
        memberships.invite(
            request.user, actor, email, request.POST.get("role", Membership.Role.MEMBER),
            lambda token: request.build_absolute_uri(
                reverse("actor-invitation", args=[actor.pk, token])
            ),
        )  # fmt: skip
    except ParticipationError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("If an account uses this address, it has been invited."))
    return redirect("actor-members", pk=actor.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The e-mailed link: a button to join (a GET changes nothing)."""
    actor = get_object_or_404(Actor, pk=pk)
    if request.method == "POST":
        try:
            memberships.accept_invitation(request.user, actor, token)
        except ParticipationError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("You are now a member of %(actor)s.") % {
                "actor": actor.name})  # fmt: skip
            return redirect(actor.get_absolute_url())
    return render(request, "social/invitation.html", {"actor": actor})
