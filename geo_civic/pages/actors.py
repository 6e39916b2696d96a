"""The public page of an actor: its facts, a small map at the published position, JSON-LD."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from geo_civic.actors.membership import is_administrator
from geo_civic.actors.models import Actor
from geo_civic.contributions.forms import ReportForm
from geo_civic.contributions.permissions import can_edit, can_moderate, can_view
from geo_civic.pages.json_ld import actor_json_ld, json_ld_script
from geo_civic.web.basemap import basemap_config


def minimap_config(actor: Actor) -> dict:
    """The actor page's small map: the published position only (a home is shown to ~1 km)."""
    point = actor.public_point
    return {
        "basemap": basemap_config(),
        "point": [point.y, point.x],
        "approximate": actor.location_is_private,
    }


def actor_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.select_related("commune"), pk=pk)
    if not can_view(request.user, actor):
        raise Http404(_("No published entry at this address."))
    if slug != actor.slug:
        return redirect(actor, permanent=True)
    return render(
        request,
        "contributions/actor_detail.html",
        {
            "actor": actor,
            "minimap": minimap_config(actor),
            "json_ld": json_ld_script(actor_json_ld(actor, request)),
            "can_edit": can_edit(request.user, actor),
            "can_moderate": can_moderate(request.user, actor),
            "is_owner": request.user.is_authenticated and actor.owner_id == request.user.pk,
            "report_form": ReportForm(),
            "manages_members": is_administrator(request.user, actor),
        },
    )


def actor_permalink(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    """``/acteurs/<id>/`` and the English ``/actors/<id>-<slug>/`` lead to the actor's page."""
    actor = get_object_or_404(Actor, pk=pk)
    if not can_view(request.user, actor):
        raise Http404(_("No published entry at this address."))
    return redirect(actor)
