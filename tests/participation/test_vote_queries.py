"""What one ballot through the API costs the database. A vote is the hot path of a consultation
(200 a second at a département's scale, bench/participation.py): the token with its user, the
proposal with its space, the residence with the territory test, and the upsert that locks the
proposal row — four queries, counted here so that a regression fails a test."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from geo_civic.participation.models import Proposal, Space, Vote
from geo_civic.territories.models import Departement
from importers.cog import import_cog
from tests.participation.conftest import SAINT_DENIS, SAINT_PAUL, live_in, person, saint_paul

BALLOT_QUERIES = 4


@pytest.fixture(params=["commune", "departement"])
def open_vote(request, reunion_communes, settings) -> Proposal:
    settings.GEO_CIVIC_THROTTLE = False
    if request.param == "commune":
        space = Space.objects.create(commune=saint_paul(), title="Saint-Paul",
                                     eligibility="residents")  # fmt: skip
    else:
        import_cog()  # the départements
        space = Space.objects.create(departement=Departement.objects.get(code="974"),
                                     title="La Réunion", eligibility="residents")  # fmt: skip
    return Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                   status="voting")  # fmt: skip


def vote(client, proposal: Proposal, token: str, choice: str):
    return client.post(f"/api/v1/proposals/{proposal.pk}/vote", json.dumps({"choice": choice}),
                       content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip


def test_a_ballot_with_a_bearer_token_costs_four_queries(client, open_vote):
    voter = person("votante")
    live_in(voter, *SAINT_PAUL)
    _, token = AuthToken.objects.create(voter)
    for choice, status in (("for", 201), ("against", 200)):  # first, then changed
        with CaptureQueriesContext(connection) as queries:
            response = vote(client, open_vote, token, choice)
        assert response.status_code == status, response.content
        sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(sql) == BALLOT_QUERIES, "\n".join(sql)
    ballot = Vote.objects.get(proposal=open_vote, voter=voter)
    assert (ballot.choice, ballot.commune.code) == ("against", "97415")


def test_the_lean_path_still_refuses_with_the_reason(client, open_vote):
    """Fewer queries, the same refusals: a closed vote 409, not eligible 403, bad choice 400."""
    voter = person("votante")
    live_in(voter, *SAINT_PAUL)
    _, token = AuthToken.objects.create(voter)
    assert vote(client, open_vote, token, "peut-être").status_code == 400
    if open_vote.space.commune_id:  # a resident of Saint-Denis is not one of Saint-Paul
        elsewhere = person("ailleurs")
        live_in(elsewhere, *SAINT_DENIS)
        _, other = AuthToken.objects.create(elsewhere)
        refused = vote(client, open_vote, other, "for")
        assert refused.status_code == 403
        assert "Saint-Denis" in refused.json()["detail"]
    Proposal.objects.filter(pk=open_vote.pk).update(status="closed")
    closed = vote(client, open_vote, token, "for")
    assert closed.status_code == 409
    assert closed["Content-Type"] == "application/problem+json"
    assert not Vote.objects.filter(proposal=open_vote).exists()
