"""The follow button on a participation space's page and on a proposal's (not on a draft's):
it posts to /suivre/ and the follow is made, then undone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from geo_civic.participation.models import Proposal
from geo_civic.social.models import Follow
from tests.participation.conftest import as_

pytestmark = pytest.mark.django_db


def test_follow_a_space_and_a_proposal_from_their_pages(client, roles, space):
    proposal = Proposal.objects.create(space=space, title="Des bancs", body="b", status="debate")
    draft = Proposal.objects.create(space=space, title="Brouillon", body="b")
    as_(client, roles["resident"])
    for subject, target, url in (
        ("space", space.pk, reverse("space", args=[space.pk])),
        ("proposal", proposal.pk, reverse("proposal", args=[proposal.pk])),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert f'name="subject" value="{subject}"'.encode() in page.content
        assert f'name="target" value="{target}"'.encode() in page.content
        form = {"subject": subject, "target": str(target), "next": url}
        assert client.post("/suivre/", form).status_code == 302
        assert Follow.objects.filter(user=roles["resident"], subject=subject, target_id=target)
        client.post("/suivre/", form)
        assert not Follow.objects.filter(user=roles["resident"], subject=subject).exists()
    assert b'name="subject" value="proposal"' not in client.get(
        reverse("proposal", args=[draft.pk])
    ).content
