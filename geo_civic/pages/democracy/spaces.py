"""Participation spaces: the list per territory, a space's page, and opening one.

A space's page says who may take part and why *you* may or may not, lists its proposals by
status, and offers its moderators the tools to run it (open a space, verify a resident).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geo_civic.actors.models import Actor
from geo_civic.pages.democracy.forms import SpaceForm, VerifyForm
from geo_civic.pages.democracy.limits import too_fast
from geo_civic.pages.democracy.texts import refusal_text, why_not, why_yes
from geo_civic.participation import proposals as making
from geo_civic.participation import residence as residences
from geo_civic.participation.eligibility import residence_of, runs
from geo_civic.participation.errors import Invalid, ParticipationError
from geo_civic.participation.models import Eligibility, Proposal, Space, Status
from geo_civic.participation.territory import describe
from geo_civic.territories.models import CURRENT, Commune, Departement, Epci

# The order a space's page lists its proposals in: what one can act on first.
STATUS_ORDER = (Status.VOTING, Status.DEBATE, Status.DRAFT, Status.CLOSED, Status.WITHDRAWN,
                Status.ARCHIVED)  # fmt: skip


def _spaces():
    return Space.objects.select_related("commune", "epci", "departement", "actor")


@require_safe
def space_list(request: HttpRequest) -> HttpResponse:
    """Every space, or those whose territory covers ``?commune=<INSEE code>``."""
    spaces = _spaces()
    code = request.GET.get("commune", "").strip()[:10]
    commune = None
    if code:
        commune = Commune.objects.filter(CURRENT, code=code).first()
        if commune is None:
            raise Http404(_("No commune has this code."))
        spaces = spaces.filter(spaces_covering(commune))
    return render(
        request, "participation/space_list.html", {"spaces": spaces[:200], "commune": commune}
    )


def spaces_covering(commune: Commune) -> Q:
    """The spaces a resident of ``commune`` sees as theirs: of it, its EPCI, its département."""
    found = Q(commune=commune) | Q(departement__code=commune.departement_code)
    if commune.epci_id:
        found |= Q(epci_id=commune.epci_id)
    return found | Q(actor__commune=commune)


def commune_participation(commune: Commune) -> dict:
    """What the commune page lists: the spaces of its residents and their proposals open now."""
    spaces = list(_spaces().filter(spaces_covering(commune))[:50])
    open_now = (
        Proposal.objects.filter(space__in=spaces, status__in=(Status.DEBATE, Status.VOTING))
        .select_related("space")
        .order_by("closes_at", "voting_at", "pk")[:50]
    )
    return {"spaces": spaces, "open_proposals": list(open_now)}


def visible_proposals(user, space: Space):
    """Drafts are their author's and the space's runners' alone."""
    found = Proposal.objects.filter(space=space).select_related("author")
    if runs(user, space):
        return found
    mine = Q(author=user) if user.is_authenticated else Q(pk__in=[])
    return found.filter(~Q(status=Status.DRAFT) | mine)


@require_safe
def space_page(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(_spaces(), pk=pk)
    found = list(visible_proposals(request.user, space))
    by_status = [(status, label, [p for p in found if p.status == status])
                 for status, label in ((s, Status(s).label) for s in STATUS_ORDER)]  # fmt: skip
    reason = why_not(request.user, space)
    return render(request, "participation/space.html", {
        "space": space,
        "territory": describe(space),
        "by_status": [row for row in by_status if row[2]],
        "reason": reason,
        "why_yes": why_yes(space) if reason is None else "",
        "may_propose": reason is None,
        "needs_residence": bool(reason) and request.user.is_authenticated
        and space.eligibility != Eligibility.MEMBERS and residence_of(request.user) is None,
        "runs": runs(request.user, space),
        "verify_form": VerifyForm(),
    })  # fmt: skip


def _owner(form: SpaceForm, space: Space) -> bool:
    """Set the space's territory or actor from the form; False when there is none such."""
    kind, code = form.cleaned_data["territory"], form.cleaned_data["code"].strip()
    if kind == "commune":
        space.commune = Commune.objects.filter(CURRENT, code=code).first()
    elif kind == "epci":
        space.epci = Epci.objects.filter(code=code).first()
    elif kind == "departement":
        space.departement = Departement.objects.filter(code=code).first()
    elif code.isdigit():
        space.actor = Actor.objects.filter(pk=int(code)).first()
    return getattr(space, kind) is not None


@login_required
@require_http_methods(["GET", "POST"])
def open_space(request: HttpRequest) -> HttpResponse:
    """A moderator of the territory, or an actor's owners, open a space."""
    initial = {"territory": "commune", "code": request.GET.get("commune", "")[:10]}
    form = SpaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if refused := too_fast(request):
            return refused
        data = form.cleaned_data
        space = Space(title=data["title"], description=data["description"],
                      eligibility=data["eligibility"], method=data["method"],
                      threshold=data["threshold"], debate_days=data["debate_days"],
                      voting_days=data["voting_days"])  # fmt: skip
        try:
            if not _owner(form, space):
                raise Invalid(_("No territory or actor has this code."))
            making.create_space(request.user, space)
        except ParticipationError as error:
            field = "code" if getattr(space, form.cleaned_data["territory"]) is None else None
            form.add_error(field, refusal_text(error))
        else:
            messages.success(request, _("The space is open."))
            return redirect("space", pk=space.pk)
    return render(request, "participation/space_form.html", {"form": form})


@login_required
@require_POST
def verify_resident(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator of the resident's commune marks them verified (or takes it back)."""
    space = get_object_or_404(Space, pk=pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the user name of the resident."))
        return redirect("space", pk=space.pk)
    if refused := too_fast(request):
        return refused
    try:
        residences.verify(
            request.user, form.cleaned_data["username"], form.cleaned_data["verified"]
        )
    except ParticipationError as error:
        text = {"no resident with this user name": _("No resident has this user name.")}
        messages.error(request, text.get(error.detail) or refusal_text(error))
    else:
        said = (_("%(name)s is a verified resident.") if form.cleaned_data["verified"]
                else _("%(name)s is no longer a verified resident."))  # fmt: skip
        messages.success(request, said % {"name": form.cleaned_data["username"]})
    return redirect("space", pk=space.pk)
