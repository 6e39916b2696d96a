"""Membership of actors: a request an administrator accepts, an invitation by e-mail, and
"member" meaning one thing for the spaces of an actor."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from geo_civic.actors.membership import is_administrator, is_member
from geo_civic.actors.models import Membership
from geo_civic.notifications.models import Notification
from geo_civic.participation.models import Space
from tests.participation.conftest import as_, feature, person, post

pytestmark = pytest.mark.django_db


def test_a_request_accepted_by_an_administrator_makes_a_member(client, roles, association):
    joiner = roles["resident"]
    as_(client, joiner)
    made = post(client, f"/api/v1/actors/{association.pk}/memberships", {"role": "member"})
    assert made.status_code == 201 and made.json()["state"] == "requested"
    assert not is_member(joiner, association)
    url = f"/api/v1/actors/{association.pk}/memberships/{made.json()['id']}"
    listing = f"/api/v1/actors/{association.pk}/memberships"
    assert client.get(listing).json() == {"count": 2}  # owner, co-editor, not the request
    as_(client, association.owner)
    assert [(m["user"], m["state"]) for m in client.get(listing).json()["memberships"]] == [
        ("paula", "requested")]  # fmt: skip
    for refused in (joiner, roles["elsewhere"]):  # neither themselves nor a stranger accepts
        as_(client, refused)
        assert post(client, url, {}).status_code == 403
    as_(client, roles["member"])  # a co-editor: an administrator
    assert post(client, url, {}).json()["state"] == "active"
    assert is_member(joiner, association) and not is_administrator(joiner, association)
    assert client.get(listing).json()["count"] == 3
    assert Notification.objects.filter(user=joiner, kind="membership").exists()
    # A member takes part in the actor's members-only space, but does not run it.
    members_space = Space.objects.create(actor=association, title="Entre membres",
                                         eligibility="members")  # fmt: skip
    as_(client, joiner)
    assert post(client, "/api/v1/proposals", feature(members_space.pk)).status_code == 201
    as_(client, roles["elsewhere"])
    assert post(client, "/api/v1/proposals", feature(members_space.pk)).status_code == 403
    as_(client, joiner)
    assert client.delete(url).status_code == 204 and not is_member(joiner, association)


def test_an_invitation_by_e_mail_reaches_only_its_account(client, roles, association):
    invited = person("invitee")
    as_(client, roles["resident"])
    body = {"email": "invitee@example.org", "role": "contributor"}
    assert post(client, f"/api/v1/actors/{association.pk}/memberships", body).status_code == 403
    as_(client, association.owner)
    assert post(client, f"/api/v1/actors/{association.pk}/memberships", body).status_code == 202
    unknown = {"email": "nobody@example.org"}  # the same answer: nothing learnt
    assert post(client, f"/api/v1/actors/{association.pk}/memberships", unknown).status_code == 202
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["invitee@example.org"]
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    as_(client, roles["elsewhere"])
    assert post(client, path, {}).status_code == 403
    as_(client, invited)
    assert post(client, path, {}).status_code == 200
    assert Membership.objects.get(user=invited).role == "contributor"
    assert post(client, path.replace(path[-5:], "xxxxx"), {}).status_code == 400


def test_attending_an_event_needs_no_approval_only_events_take_attendees(
    client, roles, association
):
    from geo_civic.actors.models import Actor

    event = Actor.objects.create(kind="event", name="Fête", point="POINT(55.27 -21.01)",
                                 status="published")  # fmt: skip
    as_(client, roles["resident"])
    made = post(client, f"/api/v1/actors/{event.pk}/memberships", {"role": "attendee"})
    assert made.json()["state"] == "active"
    refused = post(client, f"/api/v1/actors/{association.pk}/memberships", {"role": "attendee"})
    assert refused.status_code == 400
