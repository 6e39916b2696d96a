"""Ballot secrecy and the private residence: votes are planted, then every answer of
``/api/v1/`` and every admin page of local democracy is searched for who voted what and for the
residence's exact point. Only the voter themselves could learn their ballot (not built yet)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from geo_civic.participation.lifecycle import apply
from geo_civic.participation.models import Proposal, Space
from tests.participation.conftest import as_, live_in, person, post, saint_paul

pytestmark = pytest.mark.django_db

HOME = (55.312345, -21.067891)
SECRETS = [b"votant-secret-alpha", b"votant-secret-beta", b"55.31234", b"21.06789",
           b"55.3123", b"21.0678"]  # fmt: skip


def assert_secret_free(url: str, content: bytes) -> None:
    for secret in SECRETS:
        assert secret not in content, f"{secret!r} leaked in {url}"


@pytest.fixture
def planted(client, reunion_communes):
    space = Space.objects.create(commune=saint_paul(), title="Saint-Paul", eligibility="residents")
    open_ = Proposal.objects.create(space=space, title="ouvert", body="b", method="majority",
                                    status="voting")  # fmt: skip
    closed = Proposal.objects.create(space=space, title="fermé", body="b", method="majority",
                                     status="voting")  # fmt: skip
    alpha, beta = person("votant-secret-alpha"), person("votant-secret-beta")
    for voter, choice in ((alpha, "for"), (beta, "against")):
        live_in(voter, *HOME)
        for proposal in (open_, closed):
            response = post(as_(client, voter), f"/api/v1/proposals/{proposal.pk}/vote",
                            {"choice": choice})  # fmt: skip
            assert response.status_code == 201
    apply(closed.pk, "closed")
    return space, open_, closed, alpha


def test_no_api_answer_shows_a_ballot_or_a_home(client, planted):
    space, open_, closed, alpha = planted
    urls = ["/api/v1/spaces", f"/api/v1/spaces/{space.pk}", "/api/v1/proposals",
            "/api/v1/schema/"] + [
        f"/api/v1/proposals/{p.pk}{suffix}" for p in (open_, closed)
        for suffix in ("", "/results", "/comments", "/amendments")
    ]  # fmt: skip
    for user in (None, alpha, User.objects.create_superuser("admin", "a@example.org", "x")):
        as_(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:200])
            assert_secret_free(url, response.content)
    # The voter's own answers: where they live is their commune, never the point.
    as_(client, alpha)
    for response in (client.get("/api/v1/me/residence"),
                     post(client, "/api/v1/me/residence", {"lon": HOME[0], "lat": HOME[1]},
                          "put")):  # fmt: skip
        assert response.status_code == 200
        assert response.json() == {"commune": {"code": "97415", "name": "Saint-Paul"},
                                   "verified": False}  # fmt: skip


def test_the_admin_shows_ballot_counts_never_ballots_nor_homes(client, planted):
    space, open_, closed, alpha = planted
    admin = User.objects.create_superuser("admin", "a@example.org", "x")
    client.force_login(admin)
    listing = client.get("/admin/participation/proposal/")
    assert listing.status_code == 200
    assert b"allots cast" in listing.content  # the count column
    pages = ["/admin/participation/proposal/", "/admin/participation/space/",
             "/admin/participation/residence/", "/admin/participation/comment/",
             f"/admin/participation/proposal/{closed.pk}/change/",
             f"/admin/participation/space/{space.pk}/change/",
             f"/admin/participation/residence/{alpha.residence.pk}/change/"]  # fmt: skip
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content
        if "residence" in url:  # the resident's name is listed there, not their ballot or home
            content = content.replace(b"votant-secret-alpha", b"").replace(
                b"votant-secret-beta", b""
            )
        assert_secret_free(url, content)
    assert client.get("/admin/participation/vote/").status_code == 404


def test_a_voter_alone_reads_their_own_ballot(client, planted):
    space, open_, closed, alpha = planted
    url = f"/api/v1/proposals/{open_.pk}/vote"
    own = as_(client, alpha).get(url)
    assert own.status_code == 200 and own.json()["choice"] == "for"
    for someone in (person("curieux"), User.objects.create_superuser("admin", "a@b.org", "x")):
        response = as_(client, someone).get(url)
        assert response.status_code == 404
        assert_secret_free(url, response.content)
    assert as_(client, None).get(url).status_code == 401
