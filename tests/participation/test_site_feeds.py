"""A space's feeds: its vote deadlines in iCal and its news in Atom, linked from its page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from geo_civic.participation.lifecycle import apply
from geo_civic.participation.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_deadlines_of_votes_as_a_calendar(client, roles, space):
    debating = Proposal.objects.create(space=space, title="Un marché forain", body="b",
                                       method="majority")  # fmt: skip
    voting = Proposal.objects.create(space=space, title="Des bancs, des arbres; partout",
                                     body="b", method="majority")  # fmt: skip
    Proposal.objects.create(space=space, title="Brouillon caché", body="b", method="majority")
    apply(debating.pk, "debate", voting_at=timezone.now() + timedelta(days=3))
    apply(voting.pk, "voting")
    page = client.get(f"/espaces/{space.pk}/").content.decode()
    assert f'href="/espaces/{space.pk}/echeances.ics"' in page
    assert f'href="/espaces/{space.pk}/nouveautes.atom"' in page
    response = client.get(f"/espaces/{space.pk}/echeances.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    ics = response.content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Vote opens: Un marché forain" in ics
    assert "SUMMARY:Vote closes: Des bancs\\, des arbres\\; partout" in ics
    assert f"UID:proposal-{voting.pk}-closes@testserver" in ics
    assert "Brouillon" not in ics  # drafts are their author's alone
    assert ics.count("BEGIN:VEVENT") == 2  # the debate's vote opening, the vote's close
    assert client.get("/espaces/999999/echeances.ics").status_code == 404


def test_the_news_of_a_space_as_atom(client, roles, space):
    proposal = Proposal.objects.create(space=space, title="Un jardin", body="Du **vert**.",
                                       method="majority")  # fmt: skip
    Proposal.objects.create(space=space, title="Brouillon caché", body="b", method="majority")
    apply(proposal.pk, "voting")
    apply(proposal.pk, "closed")
    withdrawn = Proposal.objects.create(space=space, title="Doublon", body="b", method="majority")
    apply(withdrawn.pk, "withdrawn", reason="déjà proposé")
    atom = client.get(f"/espaces/{space.pk}/nouveautes.atom", HTTP_ACCEPT_LANGUAGE="fr")
    assert atom["Content-Type"].startswith("application/atom+xml")
    text = atom.content.decode()
    assert "<title>GeoCivic – Saint-Paul décide</title>" in text
    assert "<title>Un jardin – clos</title>" in text
    assert "Résultat : rejetée." in text  # no vote: rejected
    assert "<title>Un jardin – vote</title>" in text
    assert "Retirée : déjà proposé" in text
    assert "Brouillon" not in text
