"""Saying where one lives: a point or a geocoded address, only the commune kept in view; moving
clears the verification and withdraws open ballots where the person may no longer vote."""

from __future__ import annotations

import pytest

from geo_civic.geocoding.models import GeocodedAddress
from geo_civic.participation.models import Proposal, Residence, Space, Vote
from tests.participation.conftest import SAINT_DENIS, SAINT_PAUL, as_, person, post, saint_paul

pytestmark = pytest.mark.django_db


def put(client, data):
    return post(client, "/api/v1/me/residence", data, "put")


def test_a_point_gives_the_commune_found_by_postgis(client, reunion_communes):
    as_(client, person("lea"))
    response = put(client, {"lon": SAINT_PAUL[0], "lat": SAINT_PAUL[1]})
    assert response.status_code == 200
    assert response.json() == {"commune": {"code": "97415", "name": "Saint-Paul"},
                               "verified": False}  # fmt: skip


def test_an_address_is_geocoded_by_the_chain(client, reunion_communes):
    as_(client, person("lea"))
    response = put(client, {"address": "3 rue du Marché, 97460 Saint-Paul"})
    assert response.status_code == 200, response.content
    assert response.json()["commune"]["code"] == "97415"
    # A home address is not kept in the geocoding cache (which the admin lists).
    assert not GeocodedAddress.objects.filter(query__icontains="rue du Marché").exists()
    unknown = put(client, {"address": "Nulle part"})
    assert unknown.status_code == 400 and "not found" in unknown.json()["detail"]


@pytest.mark.parametrize("data", [
    {"lon": 2.35, "lat": 48.85},  # Paris: no commune of ours
    {"lon": 200, "lat": 0},
    {"lon": "55.27", "lat": -21.0},
    {"lat": -21.0},
    [],
])  # fmt: skip
def test_a_bad_place_is_refused_and_nothing_changes(client, reunion_communes, data):
    lea = person("lea")
    as_(client, lea)
    assert put(client, {"lon": SAINT_PAUL[0], "lat": SAINT_PAUL[1]}).status_code == 200
    response = put(client, data)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert Residence.objects.get(user=lea).commune.code == "97415"


def test_anonymous_cannot_say_where_they_live(client, reunion_communes):
    response = put(client, {"lon": SAINT_PAUL[0], "lat": SAINT_PAUL[1]})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Residence.objects.exists()


def test_moving_ends_eligibility_where_they_left(client, reunion_communes):
    lea = person("lea")
    as_(client, lea)
    put(client, {"lon": SAINT_PAUL[0], "lat": SAINT_PAUL[1]})
    Residence.objects.filter(user=lea).update(verified=True)
    space = Space.objects.create(commune=saint_paul(), title="SP", eligibility="residents")
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting")  # fmt: skip
    assert post(client, f"/api/v1/proposals/{proposal.pk}/vote",
                {"choice": "for"}).status_code == 201  # fmt: skip
    # A move within the commune keeps everything.
    put(client, {"lon": 55.30, "lat": -21.05})
    assert Residence.objects.get(user=lea).verified
    assert Vote.objects.filter(proposal=proposal).count() == 1
    # A move to Saint-Denis: no longer verified, the open Saint-Paul ballot withdrawn.
    moved = put(client, {"lon": SAINT_DENIS[0], "lat": SAINT_DENIS[1]})
    assert moved.json() == {"commune": {"code": "97411", "name": "Saint-Denis"},
                            "verified": False}  # fmt: skip
    assert not Vote.objects.filter(proposal=proposal).exists()
    again = post(client, f"/api/v1/proposals/{proposal.pk}/vote", {"choice": "for"})
    assert again.status_code == 403
