"""Feeds of a participation space: its vote deadlines (iCal) and its news (Atom).

Only what every page shows: titles, states, dates and, once a vote is closed, its outcome. Never
a ballot, never who voted, never where anyone lives.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from geo_civic.participation.models import Proposal, Space, Status, Transition
from geo_civic.participation.statuses import OUTCOMES
from layers.feeds.ical import escape, fold, utc
from layers.feeds.views import MAX_ITEMS, PlainTextAtomFeed

PUBLIC = (Status.DEBATE, Status.VOTING, Status.CLOSED, Status.ARCHIVED, Status.WITHDRAWN)


def _moment(uid: str, at, summary: str, url: str, stamp) -> list[str]:
    """A deadline: an instant, shown as a quarter of an hour so calendars display it."""
    return ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{utc(stamp)}", f"DTSTART:{utc(at)}",
            f"DTEND:{utc(at + timedelta(minutes=15))}", f"SUMMARY:{escape(summary)}",
            f"URL:{url}", "END:VEVENT"]  # fmt: skip


def space_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    """When the votes of a space open and close, for calendar apps."""
    space = get_object_or_404(Space, pk=pk)
    host = request.get_host().split(":")[0]
    found = Proposal.objects.filter(space=space, status__in=(Status.DEBATE, Status.VOTING,
                                                             Status.CLOSED))  # fmt: skip
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//GeoCivic//Votes//FR",
             "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape(_('Votes – %(title)s') % {'title': space.title})}"]  # fmt: skip
    for proposal in found.order_by("closes_at", "pk")[:MAX_ITEMS]:
        url = request.build_absolute_uri(reverse("proposal", kwargs={"pk": proposal.pk}))
        stamp = proposal.created_at
        if proposal.voting_at and proposal.status == Status.DEBATE:
            summary = _("Vote opens: %(title)s") % {"title": proposal.title}
            lines += _moment(f"proposal-{proposal.pk}-opens@{host}", proposal.voting_at, summary,
                             url, stamp)  # fmt: skip
        if proposal.closes_at:
            summary = _("Vote closes: %(title)s") % {"title": proposal.title}
            lines += _moment(f"proposal-{proposal.pk}-closes@{host}", proposal.closes_at, summary,
                             url, stamp)  # fmt: skip
    lines.append("END:VCALENDAR")
    body = "\r\n".join(fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="votes-{space.pk}.ics"'
    return response


class SpaceNews(Feed):
    """A space's new proposals, their changes of state and their results, newest first."""

    feed_type = PlainTextAtomFeed

    def get_object(self, request, pk: int) -> Space:
        return get_object_or_404(Space, pk=pk)

    def title(self, space: Space) -> str:
        return _("GeoCivic – %(title)s") % {"title": space.title}

    def link(self, space: Space) -> str:
        return reverse("space", kwargs={"pk": space.pk})

    def subtitle(self, space: Space) -> str:
        return _("New proposals, their debates, votes and results")

    def items(self, space: Space):
        return (
            Transition.objects.filter(proposal__space=space, to_status__in=PUBLIC)
            .select_related("proposal__resolution")
            .order_by("-at", "-id")[:50]
        )

    def item_title(self, step: Transition) -> str:
        return f"{step.proposal.title} – {Status(step.to_status).label}"

    def item_description(self, step: Transition) -> str:
        proposal = step.proposal
        if step.to_status == Status.CLOSED and hasattr(proposal, "resolution"):
            outcome = proposal.resolution.outcome
            return _("Result: %(outcome)s.") % {"outcome": OUTCOMES.get(outcome, outcome)}
        if step.to_status == Status.WITHDRAWN:
            return _("Withdrawn: %(reason)s") % {"reason": step.reason}
        return proposal.body[:500]

    def item_link(self, step: Transition) -> str:
        return reverse("proposal", kwargs={"pk": step.proposal_id}) + f"#step-{step.pk}"

    def item_guid(self, step: Transition) -> str:
        return f"proposal-{step.proposal_id}-step-{step.pk}"

    def item_pubdate(self, step: Transition):
        return step.at
