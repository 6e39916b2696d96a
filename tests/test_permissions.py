"""Nobody in where they don't belong: each refusal of issue 7, end to end through HTTP.

Only owners, co-editors and moderators edit an actor; only moderators moderate, and only in their
communes when a scope limits them; only stewards import. Every refusal also checks that nothing
changed.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from geo_civic.actors.models import Actor
from geo_civic.contributions.models import ActorRevision, ModeratorScope
from geo_civic.territories.models import Commune
from tests.conftest import REUNION
from tests.importers.test_uploads import database_state

pytestmark = pytest.mark.django_db

SAINT_PAUL = "POINT(55.2700 -21.0096)"
SAINT_PAUL_FORM = {"latitude": "-21.0096", "longitude": "55.2700"}
SAINT_DENIS_FORM = {"latitude": "-20.8823", "longitude": "55.4504"}


def user(name: str, *groups: str) -> User:
    account = User.objects.create_user(name, f"{name}@example.org", f"{name}-mot-de-passe-974")
    for group in groups:
        account.groups.add(Group.objects.get(name=group))
    return account


def scoped_moderator(name: str, *codes: str) -> User:
    """A moderator limited to the communes ``codes``."""
    moderator = user(name, "moderators")
    scope = ModeratorScope.objects.create(user=moderator)
    scope.communes.add(*Commune.objects.filter(code__in=codes))
    return moderator


def place_form(**overrides) -> dict:
    return {"name": "Jardin partagé", "summary": "", "description": "", "address": "",
            "tags_text": "", "place_type": "shared_garden", **SAINT_PAUL_FORM, "submit": "1",
            **overrides}  # fmt: skip


@pytest.fixture
def owner():
    return user("lea")


@pytest.fixture
def actor(reunion_communes, owner):
    """A published place in Saint-Paul (97415), owned by lea."""
    return Actor.objects.create(
        kind="place", name="Jardin partagé", point=SAINT_PAUL, owner=owner, status="published"
    )


def edited(actor: Actor) -> bool:
    actor.refresh_from_db()
    return actor.name != "Jardin partagé"


# --- editing an actor ----------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in_to_edit(client, actor):
    url = f"/acteurs/{actor.pk}/modifier/"
    for response in (client.get(url), client.post(url, place_form(name="Tagué"))):
        assert response.status_code == 302
        assert response.url == f"/comptes/login/?next={url}"
    assert not edited(actor)


def test_another_resident_cannot_edit_share_or_see_history(client, actor):
    client.force_login(user("paul"))
    url = f"/acteurs/{actor.pk}/modifier/"
    assert client.get(url).status_code == 403
    assert client.post(url, place_form(name="Tagué")).status_code == 403
    assert not edited(actor)
    shared = client.post(f"/acteurs/{actor.pk}/co-editeurs/", {"username": "paul"})
    assert shared.status_code == 403 and not actor.co_editors.exists()
    assert client.get(f"/acteurs/{actor.pk}/historique/").status_code == 403


def test_another_resident_does_not_even_see_an_unpublished_entry(client, actor):
    actor.status = "pending"
    actor.save()
    client.force_login(user("paul"))
    assert client.get(actor.get_absolute_url()).status_code == 404
    assert client.get(f"/acteurs/{actor.pk}/").status_code == 404
    assert client.post(f"/acteurs/{actor.pk}/signaler/", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["owner", "co-editor", "moderator", "moderator of 97415"])
def test_owner_co_editor_and_moderators_edit(client, actor, owner, role):
    editor = {
        "owner": lambda: owner,
        "co-editor": lambda: user("paul"),
        "moderator": lambda: user("modo", "moderators"),
        "moderator of 97415": lambda: scoped_moderator("modo", "97415"),
    }[role]()
    if role == "co-editor":
        actor.co_editors.add(editor)
    client.force_login(editor)
    response = client.post(f"/acteurs/{actor.pk}/modifier/", place_form(name="Jardin du Ruisseau"))
    assert response.status_code == 302
    assert edited(actor)


def test_moderator_of_other_communes_cannot_edit(client, actor):
    client.force_login(scoped_moderator("modo", "97411"))  # Saint-Denis only
    url = f"/acteurs/{actor.pk}/modifier/"
    assert client.get(url).status_code == 403
    assert client.post(url, place_form(name="Tagué")).status_code == 403
    assert not edited(actor)


def test_co_editor_cannot_share_the_entry_further(client, actor):
    paul = user("paul")
    actor.co_editors.add(paul)
    user("marc")
    client.force_login(paul)
    assert client.post(f"/acteurs/{actor.pk}/co-editeurs/", {"username": "marc"}).status_code == 403
    assert list(actor.co_editors.all()) == [paul]


# --- moderating ----------------------------------------------------------------------------


def pending(actor: Actor) -> Actor:
    actor.status = "pending"
    actor.save()
    return actor


def test_anonymous_visitor_is_sent_to_log_in_to_moderate(client, actor):
    pending(actor)
    assert client.get("/moderation/").url == "/comptes/login/?next=/moderation/"
    decided = client.post(f"/moderation/{actor.pk}/", {"decision": "approve"})
    assert decided.url.startswith("/comptes/login/")
    actor.refresh_from_db()
    assert actor.status == "pending"


@pytest.mark.parametrize("who", ["resident", "owner", "trusted", "steward"])
def test_only_moderators_moderate(client, actor, owner, who):
    pending(actor)
    groups = {"trusted": ["trusted"], "steward": ["stewards"]}.get(who, [])
    account = owner if who == "owner" else user("x", *groups)
    client.force_login(account)
    assert client.get("/moderation/").status_code == 403
    assert client.post(f"/moderation/{actor.pk}/", {"decision": "approve"}).status_code == 403
    first = ActorRevision.objects.create(actor=actor, action="created", snapshot={})
    reverted = client.post(f"/acteurs/{actor.pk}/historique/{first.pk}/retablir/")
    assert reverted.status_code == 403
    actor.refresh_from_db()
    assert actor.status == "pending" and actor.revisions.count() == 1


def test_moderator_limited_to_communes_moderates_only_there(client, reunion_communes, owner):
    in_saint_paul = pending(
        Actor.objects.create(kind="place", name="Jardin partagé", point=SAINT_PAUL, owner=owner)
    )
    in_saint_denis = pending(
        Actor.objects.create(
            kind="place", name="Atelier vélo", point="POINT(55.4504 -20.8823)", owner=owner
        )
    )
    client.force_login(scoped_moderator("modo", "97411"))
    queue = client.get("/moderation/").content.decode()
    assert "Atelier vélo" in queue and "Jardin partagé" not in queue
    outside = client.post(f"/moderation/{in_saint_paul.pk}/", {"decision": "approve"})
    assert outside.status_code == 403
    assert client.get(f"/acteurs/{in_saint_paul.pk}/historique/").status_code == 403
    shared = client.post(f"/acteurs/{in_saint_paul.pk}/co-editeurs/", {"username": "modo"})
    assert shared.status_code == 403
    inside = client.post(f"/moderation/{in_saint_denis.pk}/", {"decision": "approve"})
    assert inside.status_code == 302
    in_saint_paul.refresh_from_db()
    in_saint_denis.refresh_from_db()
    assert (in_saint_paul.status, in_saint_denis.status) == ("pending", "published")


def test_a_scoped_moderator_contribution_elsewhere_waits_for_review(client, reunion_communes):
    """Hole fixed: moderators counted as trusted everywhere, so a moderator of Saint-Denis
    published directly in Saint-Paul, where only Saint-Paul's moderators may publish."""
    client.force_login(scoped_moderator("modo", "97411"))
    client.post("/contribuer/place/", place_form(name="Ailleurs"))
    client.post("/contribuer/place/", place_form(name="Chez moi", **SAINT_DENIS_FORM))
    assert dict(Actor.objects.values_list("name", "status")) == {
        "Ailleurs": "pending",
        "Chez moi": "published",
    }


def test_a_scoped_moderator_moving_an_entry_out_of_their_communes_sends_it_to_review(
    client, reunion_communes, owner
):
    actor = Actor.objects.create(kind="place", name="Jardin partagé", owner=owner,
                                 point="POINT(55.4504 -20.8823)", status="published")  # fmt: skip
    client.force_login(scoped_moderator("modo", "97411"))
    client.post(f"/acteurs/{actor.pk}/modifier/", place_form(**SAINT_PAUL_FORM))
    actor.refresh_from_db()
    assert (actor.commune.code, actor.status) == ("97415", "pending")


def test_a_scope_emptied_of_its_communes_moderates_nothing(client, actor):
    """Hole fixed: removing a moderator's last commune made them a moderator everywhere."""
    pending(actor)
    client.force_login(scoped_moderator("modo"))  # a scope, no commune left in it
    assert "Jardin partagé" not in client.get("/moderation/").content.decode()
    assert client.post(f"/moderation/{actor.pk}/", {"decision": "approve"}).status_code == 403
    actor.refresh_from_db()
    assert actor.status == "pending"


def test_no_moderator_reads_edits_or_publishes_a_draft(client, actor):
    """Hole fixed: "a draft is visible only to you", yet any moderator could open it, edit it and
    publish it (through the moderation form or the edit form) before its author submitted it."""
    actor.status = "draft"
    actor.save()
    client.force_login(user("modo", "moderators"))
    assert client.get(actor.get_absolute_url()).status_code == 404
    assert client.post(f"/moderation/{actor.pk}/", {"decision": "approve"}).status_code == 403
    edit = client.post(f"/acteurs/{actor.pk}/modifier/", place_form(name="Publié par un autre"))
    assert edit.status_code == 403
    assert client.get(f"/acteurs/{actor.pk}/historique/").status_code == 403
    actor.refresh_from_db()
    assert (actor.status, actor.name) == ("draft", "Jardin partagé")


# --- importing -----------------------------------------------------------------------------


def communes_upload(test_data) -> SimpleUploadedFile:
    document = json.loads(test_data(REUNION).read_text())
    document["features"][0]["properties"]["nom"] = "Les Avirons (renommée)"
    return SimpleUploadedFile("communes.geojson", json.dumps(document).encode())


@pytest.mark.parametrize(
    "who, status, reason",
    [
        ("anonymous", 401, "log in as a data steward first"),
        ("resident", 403, "only data stewards (the stewards group) import"),
        ("moderator", 403, "only data stewards (the stewards group) import"),
        ("staff", 403, "only data stewards (the stewards group) import"),
    ],
)
@pytest.mark.parametrize("endpoint", ["communes", "actors"])
def test_only_stewards_import(client, reunion_communes, test_data, who, status, reason, endpoint):
    if who != "anonymous":
        account = user("x", *(["moderators"] if who == "moderator" else []))
        account.is_staff = who == "staff"
        account.save()
        client.force_login(account)
    before = database_state()
    response = client.post(f"/api/imports/{endpoint}", {"file": communes_upload(test_data)})
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": reason,
    }
    assert database_state() == before


@pytest.mark.parametrize("who", ["steward", "superuser"])
def test_stewards_and_superusers_import(client, reunion_communes, test_data, who):
    if who == "steward":
        client.force_login(user("gaelle", "stewards"))
    else:
        client.force_login(User.objects.create_superuser("root", "root@example.org", "r00t-974-ok"))
    assert client.get("/api/imports/communes").status_code == 405
    response = client.post("/api/imports/communes", {"file": communes_upload(test_data)})
    assert response.status_code == 200
    assert Commune.objects.get(code="97401").name == "Les Avirons (renommée)"
