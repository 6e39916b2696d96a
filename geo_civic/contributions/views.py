"""Pages to contribute, keep entries current and moderate them. Every form posts with CSRF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo_civic.actors.kinds import BY_VALUE, KINDS
from geo_civic.actors.models import Actor
from geo_civic.contributions import history, invitations, shared, workflow
from geo_civic.contributions.forms import ActorForm, DecisionForm, ReportForm
from geo_civic.contributions.models import ActorRevision
from geo_civic.contributions.permissions import (
    can_edit,
    can_moderate,
    can_view,
    editable_actors,
    is_moderator,
)
from geo_civic.geocoding.chain import GeocoderChain
from geo_civic.web import rate_limits
from geo_civic.web.basemap import basemap_config
from geo_civic.web.problems import problem


def picker_config(actor: Actor | None = None) -> dict:
    return {
        "basemap": basemap_config(),
        "center": [actor.point.y, actor.point.x] if actor else [-21.115, 55.536],
        "zoom": 16 if actor else 9,
        "geocodeUrl": reverse("contribute-geocode"),
    }


@login_required
def choose_kind(request: HttpRequest) -> HttpResponse:
    kinds = [(kind.value, kind.indefinite) for kind in KINDS]
    context = {"kinds": kinds, "shared": shared.shared_query(request.GET)}
    return render(request, "contributions/choose_kind.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contribute(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Actor.Kind.values:
        raise Http404(_("Unknown kind."))
    return _edit(request, Actor(kind=kind), created=True)


@login_required
@require_http_methods(["GET", "POST"])
def edit_actor(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk)
    if not can_edit(request.user, actor):
        raise PermissionDenied(_("Only its editors and the moderators edit this entry."))
    return _edit(request, actor, created=False)


def _edit(request: HttpRequest, actor: Actor, *, created: bool) -> HttpResponse:
    if request.method == "POST" and "preview" in request.POST:
        account = str(request.user.pk)
        if wait := rate_limits.limit_request("preview", request, account=account):
            return rate_limits.too_many_requests(request, wait)
    initial = shared.initial_values(request.GET) if created and request.method == "GET" else None
    form = ActorForm(request.POST or None, instance=actor, kind=actor.kind, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.instance
            preview.render_description()
        else:
            draft = "draft" in request.POST
            actor = workflow.save_contribution(request.user, form, created=created, draft=draft)
            if draft:
                messages.info(request, _("Draft saved: only you can see it."))
            elif actor.status == Actor.Status.PENDING:
                messages.info(request, _("Thank you! Your entry awaits a moderator's approval."))
            else:
                messages.success(request, _("Your entry is published."))
            return redirect(actor)
    return render(
        request,
        "contributions/actor_form.html",
        {
            "form": form,
            "kind": actor.kind,
            "kind_title": BY_VALUE[actor.kind].indefinite,
            "actor": None if created else actor,
            "preview": preview,
            "picker": picker_config(None if created else actor),
        },
    )


@login_required
@require_POST
def add_co_editor(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner (or a moderator) shares the editing of an entry with another account: by its
    user name (public, so added at once) or by an e-mail address (private, so by invitation).
    The answer depends only on what was typed, never on whether such an account exists."""
    actor = get_object_or_404(Actor, pk=pk)
    if actor.owner_id != request.user.pk and not can_moderate(request.user, actor):
        raise PermissionDenied(_("Only the owner shares the editing of an entry."))
    name = request.POST.get("username", "").strip()[:254]
    if "@" in name:
        # Counted whether or not the address has an account, so the limit tells nothing either.
        account = str(request.user.pk)
        if wait := rate_limits.limit_request("invitation", request, account=account):
            return rate_limits.too_many_requests(request, wait)
        invitations.invite(request, actor, name)
        messages.info(
            request,
            _("If an account uses “%(email)s”, it has been e-mailed an invitation to edit this "
              "entry.") % {"email": name},
        )  # fmt: skip
        return redirect(actor)
    user = User.objects.filter(username=name).first()
    if user is not None:
        actor.co_editors.add(user)
    answer = _("If an account is named “%(name)s”, it can now edit this entry.")
    messages.info(request, answer % {"name": name})
    return redirect(actor)


@login_required
@require_http_methods(["GET", "POST"])
def accept_co_editing(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The link of an invitation: the invited account, logged in, accepts to co-edit."""
    actor = get_object_or_404(Actor, pk=pk)
    invitation = invitations.read_token(token, actor)
    if invitation is None:
        raise Http404(_("This invitation is no longer valid."))
    if request.user.email.lower() != invitation.email:
        raise PermissionDenied(_("This invitation is for another account: log in with it."))
    if request.method == "POST":
        actor.co_editors.add(request.user)
        messages.success(request, _("You can now edit this entry."))
        return redirect(actor)
    return render(request, "contributions/invitation.html", {"actor": actor})


@login_required
def my_contributions(request: HttpRequest) -> HttpResponse:
    actors = editable_actors(request.user).select_related("commune").order_by("-updated_at")
    return render(request, "contributions/mine.html", {"actors": actors})


@login_required
@require_GET
def geocode(request: HttpRequest) -> JsonResponse:
    """The form's address search: ``?q=`` → ``{lat, lon, label}``, 404 when nothing is found."""
    query = request.GET.get("q", "").strip()
    if not query or len(query) > 300:
        return problem(_("q: an address of 1 to 300 characters"), 400, parameter="q")
    found = GeocoderChain().geocode(query)
    if found is None:
        return problem(_("address not found"), 404)
    return JsonResponse({"lat": found.lat, "lon": found.lon, "label": found.label})


@require_http_methods(["GET", "POST"])
def report_actor(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk)
    if not can_view(request.user, actor):
        raise Http404(_("No published entry at this address."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = str(request.user.pk) if request.user.is_authenticated else ""
        if wait := rate_limits.limit_request("report", request, account=account):
            return rate_limits.too_many_requests(request, wait)
        workflow.report(request.user, actor, form.cleaned_data["reason"])
        messages.info(request, _("Thank you, the moderators will look at this entry."))
        return redirect(actor)
    return render(request, "contributions/report.html", {"actor": actor, "form": form})


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not is_moderator(request.user):
        raise PermissionDenied(_("For moderators only."))
    return render(
        request,
        "contributions/moderation_queue.html",
        {
            "pending": workflow.pending_for(request.user),
            "reports": workflow.open_reports_for(request.user),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk)
    if not can_moderate(request.user, actor):
        raise PermissionDenied(_("This entry is not in your moderation scope."))
    try:
        workflow.decide(request.user, actor, request.POST)
    except workflow.Refused as refused:
        messages.error(request, " ".join(e for errors in refused.errors.values() for e in errors))
        return redirect("moderation-queue")
    messages.success(
        request,
        _("“%(name)s”: %(status)s.") % {"name": actor.name, "status": actor.get_status_display()},
    )
    if request.POST.get("back") == "actor":
        return redirect(actor)
    return redirect("moderation-queue")


@login_required
def actor_history(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk)
    if not can_moderate(request.user, actor):
        raise PermissionDenied(_("For moderators only."))
    revisions = list(actor.revisions.select_related("author"))
    return render(
        request,
        "contributions/history.html",
        {"actor": actor, "revisions": history.changes(revisions)},
    )


@login_required
@require_POST
def revert_actor(request: HttpRequest, pk: int, revision_id: int) -> HttpResponse:
    revision = get_object_or_404(ActorRevision, pk=revision_id, actor_id=pk)
    if not can_moderate(request.user, revision.actor):
        raise PermissionDenied(_("For moderators only."))
    history.revert(revision, request.user)
    messages.success(request, _("The entry is back to this version."))
    return redirect("actor-history", pk=pk)
