"""Transitions at their dates happen by themselves: the periodic procrastinate job moves a debate
to the vote at ``voting_at`` and closes the vote at ``closes_at``; running it twice changes
nothing. Once through the job function, once through a real ``procrastinate worker`` process."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from geo_civic.participation.lifecycle import apply_due
from geo_civic.participation.models import Proposal, Space, Transition
from geo_civic.participation.tasks import apply_due_transitions
from tests.live_servers import run_jobs
from tests.participation.conftest import saint_paul


def proposals(status_dates: list[tuple[str, dict]]) -> list[Proposal]:
    space = Space.objects.create(commune=saint_paul(), title="SP", eligibility="residents")
    return [Proposal.objects.create(space=space, title=f"p{i}", body="b", method="majority",
                                    status=status, **dates)
            for i, (status, dates) in enumerate(status_dates)]  # fmt: skip


@pytest.mark.django_db
def test_due_transitions_apply_once(reunion_communes):
    past, future = timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(days=1)
    debate, voting, later, draft = proposals([
        ("debate", {"voting_at": past}), ("voting", {"closes_at": past}),
        ("voting", {"closes_at": future}), ("draft", {"voting_at": past}),
    ])  # fmt: skip
    assert apply_due_transitions(timestamp=int(time.time())) == 2
    assert apply_due() == 0  # idempotent
    states = {p.title: p.status for p in Proposal.objects.all()}
    assert states == {"p0": "voting", "p1": "closed", "p2": "voting", "p3": "draft"}
    debate.refresh_from_db()
    assert debate.closes_at > timezone.now() + timedelta(days=13)  # the space's 14 voting days
    automatic = Transition.objects.get(proposal=voting, to_status="closed")
    assert automatic.by is None
    assert Proposal.objects.get(pk=voting.pk).resolution.outcome == "rejected"  # no votes


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_job(reunion_communes):
    (due,) = proposals([("voting", {"closes_at": timezone.now() - timedelta(seconds=5)})])
    apply_due_transitions.defer(timestamp=int(time.time()))
    run_jobs("participation")
    due.refresh_from_db()
    assert due.status == "closed"


@pytest.mark.django_db
def test_the_demo_example_consultation_is_labelled_and_made_once(reunion_communes):
    from geo_civic.participation.example import TITLE, load_example_consultation

    assert "fictitious" in load_example_consultation()
    assert load_example_consultation() is None
    space = Space.objects.get(title=TITLE)
    assert all(p.title.startswith("Exemple") for p in space.proposals.all())
    states = dict(space.proposals.values_list("method", "status"))
    assert states == {"majority": "closed", "approval": "voting", "judgement": "debate"}
    garden = space.proposals.get(method="majority")
    assert garden.resolution.outcome == "adopted"  # 12 for, 6 against, 6 blank
    assert garden.versions.count() == 2  # the adopted amendment


@pytest.mark.django_db
def test_a_moderator_schedules_the_vote_and_the_job_keeps_the_dates(client, roles, space):
    from tests.participation.conftest import as_, post

    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority")
    url = f"/api/v1/proposals/{proposal.pk}/transition"
    start, end = timezone.now() + timedelta(hours=1), timezone.now() + timedelta(hours=3)
    as_(client, roles["moderator"])
    for wrong in (
        {"voting_at": "demain"},
        {"voting_at": "2020-01-01T00:00:00+04:00"},
        {"voting_at": end.isoformat(), "closes_at": start.isoformat()},
    ):
        response = post(client, url, {"to": "debate", **wrong})
        assert response.status_code == 400, wrong  # fmt: skip
    assert Proposal.objects.get(pk=proposal.pk).status == "draft"
    response = post(client, url, {"to": "debate", "voting_at": start.isoformat(),
                                  "closes_at": end.isoformat()})  # fmt: skip
    assert response.status_code == 200, response.content
    assert apply_due(now=start - timedelta(minutes=1)) == 0
    assert apply_due(now=start + timedelta(minutes=1)) == 1
    assert Proposal.objects.get(pk=proposal.pk).status == "voting"
    assert apply_due(now=end + timedelta(minutes=1)) == 1
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"
