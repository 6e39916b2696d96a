"""Profiles (each item private until made public), the export (to oneself only) and the
deletion (personal data erased, contributions kept under an anonymous account)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from geo_civic.participation.models import Residence, Vote
from geo_civic.social.models import Follow, News
from tests.participation.conftest import PASSWORD, as_, post

pytestmark = pytest.mark.django_db


def test_a_profile_shows_only_what_its_owner_made_public(client, roles, association):
    paula = roles["resident"]
    as_(client, paula)
    assert client.put("/api/v1/me/profile", {"display_name": "Paula P.", "bio": "Jardinière"},
                      content_type="application/json").status_code == 200  # fmt: skip
    as_(client, None)
    public = client.get("/api/v1/profiles/paula").json()
    assert public == {"username": "paula", "display_name": "paula", "followers": 0}
    as_(client, paula)
    mine = client.get("/api/v1/me/profile").json()
    assert mine["bio"] == "Jardinière" and mine["commune"]["code"] == "97415"
    client.put("/api/v1/me/profile", {"bio_public": True, "commune_public": True,
                                      "display_name_public": True},
               content_type="application/json")  # fmt: skip
    as_(client, roles["elsewhere"])
    shown = client.get("/api/v1/profiles/paula").json()
    assert shown["display_name"] == "Paula P." and shown["bio"] == "Jardinière"
    assert shown["commune"] == {"code": "97415",
                                                                "name": "Saint-Paul"}
    assert "actors" not in shown and "settings" not in shown


@pytest.mark.parametrize("body", [{"bio": 3}, {"bio_public": "yes"}, {"is_staff": True},
                                  {"display_name": "x" * 101}, ["bio"]])  # fmt: skip
def test_profile_updates_are_checked(client, roles, body):
    as_(client, roles["resident"])
    answer = client.put("/api/v1/me/profile", body, content_type="application/json")
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"


def test_the_export_holds_my_residence_and_votes_for_me_only(client, roles, space):
    from geo_civic.participation.models import Proposal

    paula = roles["resident"]
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting")  # fmt: skip
    Vote.objects.create(proposal=proposal, voter=paula, choice="for")
    as_(client, None)
    assert client.get("/api/v1/me/export").status_code == 401
    as_(client, paula)
    export = client.get("/api/v1/me/export")
    assert export["Cache-Control"] == "private, no-store"
    data = export.json()
    assert data["account"]["email"] == "paula@example.org"
    assert data["residence"]["commune"] == "97415" and data["residence"]["lon"] == 55.27
    assert data["votes"] == [{"proposal": proposal.pk, "choice": "for", "grades": {},
                              "approvals": []}]  # fmt: skip


def test_deleting_an_account_erases_the_person_keeps_the_contributions(client, roles):
    paula = roles["resident"]
    as_(client, roles["moderator"])
    post(client, "/api/v1/follows", {"user": "paula"})
    as_(client, paula)
    item = post(client, "/api/v1/news", {"commune": "97415", "title": "t", "body": "b"}).json()
    post(client, "/api/v1/follows", {"commune": "97415"})
    assert client.delete("/api/v1/me").status_code == 204
    assert client.get("/api/v1/me/export").status_code == 401  # the session ended
    gone = User.objects.get(pk=paula.pk)
    assert gone.username.startswith("deleted-") and gone.email == "" and not gone.is_active
    assert not gone.check_password(PASSWORD) and not gone.has_usable_password()
    assert not Residence.objects.filter(user=gone).exists()
    assert not Follow.objects.filter(user=gone).exists()
    assert not Follow.objects.filter(subject="user", target_id=gone.pk).exists()
    assert News.objects.get(pk=item["id"]).author == gone  # the contribution stays
    assert client.get("/api/v1/profiles/paula").status_code == 404
