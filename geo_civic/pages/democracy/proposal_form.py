"""Making a proposal: text, category, how it is decided, and an optional point or area.

The location is drawn on a Leaflet map (``area_picker.js``) into a hidden GeoJSON field; a
location outside the space's territory is refused by PostGIS with the reason, next to the map.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.db.models import Extent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo_civic.pages.democracy.forms import ProposalForm
from geo_civic.pages.democracy.limits import too_fast
from geo_civic.pages.democracy.texts import refusal_text, why_not
from geo_civic.participation import proposals as making
from geo_civic.participation.errors import OutsideTerritory, ParticipationError
from geo_civic.participation.models import Space
from geo_civic.participation.territory import communes_of
from geo_civic.web.basemap import basemap_config

# Which field a service's refusal belongs beside, by the start of its (English) detail.
FIELD_OF = {"title": "title", "body": "body", "category": "category", "tags": "tags",
            "threshold": "threshold", "quorum": "quorum", "a quorum": "quorum",
            "options": "options", "each": "options", "an option": "options",
            "a participatory budget": "budget", "a for/against": "options",
            "the area": "location", "the location": "location", "method": "method"}  # fmt: skip


def field_of(error: ParticipationError) -> str | None:
    if isinstance(error, OutsideTerritory):
        return "location"
    for start, field in FIELD_OF.items():
        if error.detail.startswith(start):
            return field
    return None


def drawing_config(space: Space) -> dict:
    """The drawing map starts on the space's territory."""
    box = None
    communes = communes_of(space)
    if communes.exists():
        extent = communes.aggregate(box=Extent("boundary"))["box"]
        if extent:
            box = [[extent[1], extent[0]], [extent[3], extent[2]]]
    return {"basemap": basemap_config(), "bounds": box or [[-21.4, 55.2], [-20.85, 55.85]]}


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space.objects.select_related("commune", "actor"), pk=pk)
    reason = why_not(request.user, space)
    initial = {"method": space.method, "threshold": space.threshold, "quorum": space.quorum}
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and reason is None and form.is_valid():
        if refused := too_fast(request):
            return refused
        try:
            proposal = making.create_proposal(
                request.user, space, form.payload(), form.cleaned_data["location"]
            )
        except ParticipationError as error:
            form.add_error(field_of(error), refusal_text(error, request.user, space))
        else:
            messages.success(request, _("Your proposal is saved as a draft: a moderator opens "
                                        "its debate."))  # fmt: skip
            return redirect("proposal", pk=proposal.pk)
    return render(request, "participation/proposal_form.html", {
        "space": space, "form": form, "reason": reason, "drawing": drawing_config(space),
    })  # fmt: skip
