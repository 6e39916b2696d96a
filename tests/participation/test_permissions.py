"""Who may do what, through HTTP, for every role of issue 12: anonymous, resident elsewhere,
resident, verified resident, member of the actor, author, moderator of another commune,
moderator of the commune, data steward. Every refusal leaves the database as it was."""

from __future__ import annotations

import pytest

from geo_civic.participation.models import Comment, Proposal, Residence, Space, Vote
from tests.participation.conftest import as_, feature, post, saint_paul

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "elsewhere", "resident", "verified", "member", "author",
         "other_moderator", "moderator", "steward")  # fmt: skip


def attempt(client, roles, role, method, url, data=None):
    as_(client, roles[role])
    if method == "get":
        return client.get(url)
    return post(client, url, data or {}, method)


def expect(client, roles, allowed: dict[str, int], refused: int, method, url, data=None):
    """Each role gets its expected status; refusals are problems with a reason."""
    for role in ROLES:
        response = attempt(client, roles, role, method, url, data)
        want = allowed.get(role, 401 if role == "anonymous" else refused)
        assert response.status_code == want, (role, response.content)
        if want >= 400:
            assert response["Content-Type"] == "application/problem+json", role
            assert response.json()["detail"], role


def test_only_a_moderator_of_the_commune_opens_its_space(client, roles):
    data = {"commune": "97415", "title": "Saint-Paul décide", "eligibility": "residents"}
    expect(client, roles, {"moderator": 201}, 403, "post", "/api/v1/spaces", data)
    assert Space.objects.count() == 1
    response = attempt(client, roles, "moderator", "get", "/api/v1/spaces")
    (space,) = response.json()["spaces"]
    assert space["territory"] == {"type": "commune", "code": "97415", "name": "Saint-Paul"}


def test_only_the_actors_people_open_its_space(client, roles, association):
    data = {"actor": association.pk, "title": "Nos décisions", "eligibility": "members"}
    # The actor's co-editor, and the moderator of the actor's commune.
    expect(client, roles, {"member": 201, "moderator": 201}, 403, "post", "/api/v1/spaces", data)
    refused = attempt(client, roles, "moderator", "post", "/api/v1/spaces",
                      {"commune": "97415", "title": "x", "eligibility": "members"})  # fmt: skip
    assert refused.status_code == 400  # members only make sense for an actor's space


def test_residents_of_the_commune_propose(client, roles, space):
    allowed = {"resident": 201, "verified": 201, "author": 201}
    expect(client, roles, allowed, 403, "post", "/api/v1/proposals", feature(space.pk))
    assert Proposal.objects.count() == 3
    why = attempt(client, roles, "elsewhere", "post", "/api/v1/proposals", feature(space.pk))
    assert "Saint-Denis" in why.json()["detail"]
    assert why.json()["title"] == "Not eligible"


def test_verified_residents_only_where_the_space_says_so(client, roles):
    space = Space.objects.create(commune=saint_paul(), title="Budget",
                                 eligibility="verified_residents")  # fmt: skip
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting")  # fmt: skip
    url = f"/api/v1/proposals/{proposal.pk}/vote"
    expect(client, roles, {"verified": 201, "author": 201}, 403, "post", url, {"choice": "for"})
    why = attempt(client, roles, "resident", "post", url, {"choice": "for"}).json()["detail"]
    assert "verified" in why
    assert Vote.objects.filter(proposal=proposal).count() == 2


def test_only_members_vote_in_an_actors_space(client, roles, association):
    space = Space.objects.create(actor=association, title="AG", eligibility="members")
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting")  # fmt: skip
    url = f"/api/v1/proposals/{proposal.pk}/vote"
    expect(client, roles, {"member": 201}, 403, "post", url, {"choice": "blank"})
    assert Vote.objects.filter(proposal=proposal).count() == 1


def test_only_the_communes_moderator_moves_a_proposal_on(client, roles, space):
    proposal = Proposal.objects.create(space=space, author=roles["author"], title="t",
                                       body="b", method="majority")  # fmt: skip
    url = f"/api/v1/proposals/{proposal.pk}/transition"
    for role in ROLES:
        if role == "moderator":
            continue
        response = attempt(client, roles, role, "post", url, {"to": "debate"})
        # A draft is hidden from all but its author and the moderators: 404, not 403.
        assert response.status_code in ((401,) if role == "anonymous" else (403, 404)), role
        proposal.refresh_from_db()
        assert proposal.status == "draft", role
    assert attempt(client, roles, "moderator", "post", url, {"to": "voting"}).status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "voting"  # skipped the debate
    closed = attempt(client, roles, "moderator", "post", url, {"to": "debate"})
    assert closed.status_code == 409  # no way back
    withdraw = attempt(client, roles, "moderator", "post", url, {"to": "withdrawn"})
    assert withdraw.status_code == 400 and "reason" in withdraw.json()["detail"]
    withdraw = attempt(client, roles, "moderator", "post", url,
                       {"to": "withdrawn", "reason": "Hors compétence communale"})  # fmt: skip
    assert withdraw.status_code == 200
    assert withdraw.json()["properties"]["withdrawn_reason"] == "Hors compétence communale"


def test_a_draft_is_seen_only_by_its_author_and_moderators(client, roles, space):
    proposal = Proposal.objects.create(space=space, author=roles["author"], title="t",
                                       body="b", method="majority")  # fmt: skip
    url = f"/api/v1/proposals/{proposal.pk}"
    allowed = {"author": 200, "moderator": 200}
    for role in ROLES:
        want = allowed.get(role, 404)
        assert attempt(client, roles, role, "get", url).status_code == want, role


def test_residents_comment_during_the_debate_only(client, roles, space):
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="debate")  # fmt: skip
    url = f"/api/v1/proposals/{proposal.pk}/comments"
    allowed = {"resident": 201, "verified": 201, "author": 201}
    expect(client, roles, allowed, 403, "post", url, {"body": "Avis"})
    assert Comment.objects.count() == 3
    Proposal.objects.filter(pk=proposal.pk).update(status="closed")
    assert attempt(client, roles, "resident", "post", url, {"body": "x"}).status_code == 409


def test_only_its_author_edits_a_comment_and_edits_are_kept(client, roles, space):
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="debate")  # fmt: skip
    made = attempt(client, roles, "resident", "post",
                   f"/api/v1/proposals/{proposal.pk}/comments", {"body": "Premier jet"})
    url = f"/api/v1/proposals/{proposal.pk}/comments/{made.json()['id']}"  # fmt: skip
    for role in ROLES:
        if role != "resident":
            response = attempt(client, roles, role, "patch", url, {"body": "Tagué"})
            assert response.status_code in (401, 403), role
    edited = attempt(client, roles, "resident", "patch", url, {"body": "Version revue"})
    assert edited.status_code == 200
    assert edited.json()["body"] == "Version revue" and edited.json()["edits"] == 1
    assert Comment.objects.get().edits.get().body == "Premier jet"


def test_only_a_moderator_of_their_commune_verifies_a_resident(client, roles):
    url = "/api/v1/residents/paula/verification"
    expect(client, roles, {"moderator": 200}, 403, "post", url, {"verified": True})
    assert Residence.objects.get(user=roles["resident"]).verified
    # The moderator of Saint-Denis does verify Saint-Denis residents.
    other = attempt(client, roles, "other_moderator", "post",
                    "/api/v1/residents/denis/verification", {"verified": True})  # fmt: skip
    assert other.status_code == 200 and other.json()["commune"]["code"] == "97411"


def test_only_the_communes_moderator_hides_a_comment_with_a_reason(client, roles, space):
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="debate")  # fmt: skip
    made = attempt(client, roles, "resident", "post",
                   f"/api/v1/proposals/{proposal.pk}/comments", {"body": "Propos injurieux"})
    url = f"/api/v1/proposals/{proposal.pk}/comments/{made.json()['id']}/hide"  # fmt: skip
    data = {"reason": "Propos injurieux envers un habitant"}
    expect(client, roles, {"moderator": 200}, 403, "post", url, data)
    (shown,) = attempt(client, roles, "anonymous", "get",
                       f"/api/v1/proposals/{proposal.pk}/comments").json()["comments"]
    assert shown["body"] == "" and shown["hidden_reason"] == data["reason"]  # fmt: skip
