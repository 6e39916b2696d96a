"""“Where I live”: the resident gives an address or a point; only the commune is ever shown back.

The point is stored by ``participation.residence`` and never rendered: the form comes back empty
and the page names the commune alone. Addresses are geocoded without cache and without log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from geo_civic.geocoding.chain import GeocoderChain
from geo_civic.pages.democracy.forms import ResidenceForm
from geo_civic.pages.democracy.limits import too_fast
from geo_civic.participation import residence as residences
from geo_civic.participation.eligibility import residence_of
from geo_civic.participation.errors import ParticipationError
from geo_civic.participation.models import Space
from geo_civic.web.basemap import basemap_config
from geo_civic.web.problems import problem


def _picker() -> dict:
    """The contribution form's point picker, centred on La Réunion, geocoding privately."""
    return {"basemap": basemap_config(), "center": [-21.115, 55.536], "zoom": 9,
            "geocodeUrl": reverse("residence-geocode")}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def where_i_live(request: HttpRequest) -> HttpResponse:
    form = ResidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if refused := too_fast(request):
            return refused
        data = form.cleaned_data
        before = residence_of(request.user)
        try:
            if data.get("latitude") is not None and data.get("longitude") is not None:
                point = residences.point_of(data["longitude"], data["latitude"])
            else:
                point = residences.point_of_address(data["address"])
            found = residences.set_residence(request.user, point)
        except ParticipationError as error:
            messages_ = {
                "this address was not found": _("This address was not found: touch the map."),
                "this place is in no commune we know": _("This place is in no commune we know."),
            }
            form.add_error(None, messages_.get(error.detail, error.detail))
        else:
            if before and before.commune_id and before.commune_id != found.commune_id:
                messages.info(request, _("You moved: you no longer take part in %(old)s.")
                              % {"old": before.commune.name})  # fmt: skip
            messages.success(
                request, _("You live in %(commune)s.") % {"commune": found.commune.name}
            )
            return redirect("my-residence")
    found = residence_of(request.user)
    spaces = []
    if found and found.commune_id:
        commune = found.commune
        spaces = list(
            Space.objects.filter(commune=commune)
            | Space.objects.filter(epci_id=commune.epci_id, epci__isnull=False)
            | Space.objects.filter(departement__code=commune.departement_code)
        )
    return render(request, "participation/residence.html",
                  {"form": form, "residence": found, "spaces": spaces,
                   "picker": _picker()})  # fmt: skip


@login_required
@require_GET
def geocode_privately(request: HttpRequest) -> JsonResponse:
    """The picker's address search for one's home: never cached, never logged."""
    query = request.GET.get("q", "").strip()
    if not query or len(query) > 300:
        return problem(_("q: an address of 1 to 300 characters"), 400, parameter="q")
    found = GeocoderChain().geocode(query, private=True)
    if found is None:
        return problem(_("address not found"), 404)
    return JsonResponse({"lat": found.lat, "lon": found.lon, "label": found.label})
