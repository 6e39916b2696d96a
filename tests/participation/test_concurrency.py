"""Ballots sent at the same moment: 50 residents are all counted, and one person voting twice at
once counts once (the UNIQUE constraint with ON CONFLICT, not a check-then-insert).

Each thread has its own database connection and its own HTTP client, as gunicorn workers would;
the test is transactional so every ballot really commits.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from geo_civic.participation.models import Proposal, Space, Vote
from tests.participation.conftest import SAINT_PAUL, live_in, person, saint_paul

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(clients: list[Client], url: str, ballots: list[dict]) -> list[int]:
    """POST each ballot from its own thread, all released together."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = [0] * len(clients)

    def send(index: int) -> None:
        try:
            barrier.wait()
            response = clients[index].post(
                url, json.dumps(ballots[index]), content_type="application/json"
            )
            statuses[index] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def open_vote(reunion_communes, settings) -> Proposal:
    settings.GEO_CIVIC_THROTTLE = False
    space = Space.objects.create(commune=saint_paul(), title="Saint-Paul", eligibility="residents")
    return Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                   status="voting")  # fmt: skip


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_fifty_residents_voting_at_the_same_moment_are_all_counted(open_vote):
    clients = []
    for i in range(50):
        resident = person(f"habitant{i}")
        live_in(resident, *SAINT_PAUL)
        clients.append(signed_in(resident))
    ballots = [{"choice": ("for", "against", "blank")[i % 3]} for i in range(50)]
    statuses = at_once(clients, f"/api/v1/proposals/{open_vote.pk}/vote", ballots)
    assert statuses == [201] * 50
    votes = Vote.objects.filter(proposal=open_vote)
    assert votes.count() == 50
    assert votes.filter(choice="for").count() == 17
    assert votes.filter(choice="against").count() == 17
    assert votes.filter(choice="blank").count() == 16


def test_one_person_voting_twice_at_the_same_moment_counts_once(open_vote):
    resident = person("pressee")
    live_in(resident, *SAINT_PAUL)
    clients = [signed_in(resident) for _ in range(8)]
    statuses = at_once(
        clients, f"/api/v1/proposals/{open_vote.pk}/vote", [{"choice": "for"}] * 8
    )
    assert sorted(statuses) == [200] * 7 + [201]
    assert Vote.objects.filter(proposal=open_vote, voter=resident).count() == 1
