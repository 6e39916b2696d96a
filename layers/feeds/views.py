"""Feeds residents follow: the agenda (iCal) and the new and updated actors (Atom)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from geo_civic.actors.models import Actor, Category
from geo_civic.territories.models import CURRENT, Commune
from layers.feeds.ical import calendar

MAX_ITEMS = 200


def upcoming_events():
    """Published events not yet over."""
    now = timezone.now()
    return (
        Actor.objects.filter(kind=Actor.Kind.EVENT, status=Actor.Status.PUBLISHED)
        .filter(
            Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now - timedelta(days=1))
        )
        .select_related("commune")
        .order_by("starts_at")
    )


def _agenda(request: HttpRequest, name: str, events, filename: str) -> HttpResponse:
    pairs = [(a, request.build_absolute_uri(a.get_absolute_url())) for a in events[:MAX_ITEMS]]
    body = calendar(name, pairs, request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def agenda(request: HttpRequest) -> HttpResponse:
    return _agenda(request, _("GeoCivic – agenda"), upcoming_events(), "agenda")


def commune_agenda(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(Commune.objects.filter(CURRENT), code=code)
    events = upcoming_events().filter(commune=commune)
    name = _("Agenda – %(name)s") % {"name": commune.name}
    return _agenda(request, name, events, f"agenda-{code}")


def category_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    tree = [category.pk, *category.children.values_list("pk", flat=True)]
    events = upcoming_events().filter(categories__in=tree).distinct()
    name = _("Agenda – %(name)s") % {"name": category.name}
    return _agenda(request, name, events, f"agenda-{slug}")


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries say they are plain text (``type="text"``).

    Django writes ``type="html"``, which tells readers to render an actor's summary as markup:
    ``<b>`` typed by a contributor would show bold, and worse. A summary is text; so it is said.
    """

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class CommuneNews(Feed):
    """New and updated published actors of a commune, newest first."""

    feed_type = PlainTextAtomFeed

    def get_object(self, request, code: str) -> Commune:
        return get_object_or_404(Commune.objects.filter(CURRENT), code=code)

    def title(self, commune: Commune) -> str:
        return _("GeoCivic – what's new in %(name)s") % {"name": commune.name}

    def link(self, commune: Commune) -> str:
        return "/"

    def subtitle(self, commune: Commune) -> str:
        return _("Initiatives added or updated in %(name)s (%(code)s)") % {
            "name": commune.name,
            "code": commune.code,
        }

    def items(self, commune: Commune):
        return Actor.objects.filter(commune=commune, status=Actor.Status.PUBLISHED).order_by(
            "-updated_at"
        )[:50]

    def item_title(self, actor: Actor) -> str:
        return actor.name

    def item_description(self, actor: Actor) -> str:
        return actor.summary

    def item_pubdate(self, actor: Actor):
        return actor.created_at

    def item_updateddate(self, actor: Actor):
        return actor.updated_at

    def item_categories(self, actor: Actor):
        return [actor.get_kind_display(), *actor.tags[:10]]
