"""Residents contribute, moderators decide, everything is kept: through real requests."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from geo_civic import settings as project_settings
from geo_civic.actors.models import Actor
from geo_civic.contributions.models import ActorRevision, ModeratorScope, Report
from geo_civic.territories.models import Commune

pytestmark = pytest.mark.django_db

SAINT_PAUL = {"latitude": "-21.0096", "longitude": "55.2700"}
OFFSHORE = {"latitude": "-21.0", "longitude": "56.5"}


@pytest.fixture
def resident(client):
    user = User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    client.force_login(user)
    return user


@pytest.fixture
def moderator():
    user = User.objects.create_user("modo", "modo@example.org", "moderation-974")
    user.groups.add(Group.objects.get(name="moderators"))
    return user


def place_form(**overrides) -> dict:
    return {"name": "Jardin partagé de la Plaine", "summary": "Un jardin ouvert à tous",
            "description": "**Bienvenue** !", "address": "", "tags_text": "jardin, compost",
            "place_type": "shared_garden", **SAINT_PAUL, "submit": "1", **overrides}  # fmt: skip


def test_sign_up_log_out_log_in_and_reset_password_by_console_email(client):
    response = client.post(
        "/comptes/inscription/", {"username": "marie", "email": "Marie@Example.org"}
    )
    assert response.status_code == 302 and response.url == "/comptes/inscription/envoyee/"
    assert not User.objects.exists()  # nothing stored before the address is confirmed
    (confirmation,) = mail.outbox
    assert confirmation.to == ["marie@example.org"]
    link = re.search(r"http://testserver(/comptes/inscription/confirmer/\S+)", confirmation.body)
    response = client.post(
        link.group(1), {"new_password1": "kaz-la-974-ok", "new_password2": "kaz-la-974-ok"}
    )
    assert response.status_code == 302 and response.url == "/contribuer/"
    assert client.get("/contribuer/").status_code == 200
    assert client.post(link.group(1)).status_code == 400  # a link serves once
    client.post("/comptes/logout/")
    assert client.get("/contribuer/").status_code == 302  # to the login page
    assert (
        client.post("/comptes/login/", {"username": "marie", "password": "kaz-la-974-ok"}).url
        == "/contribuer/mes-fiches/"
    )
    client.post("/comptes/logout/")
    client.post("/comptes/password_reset/", {"email": "marie@example.org"})
    assert len(mail.outbox) == 2
    link = re.search(r"http://testserver(/comptes/reset/\S+)", mail.outbox[1].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "nouveau-974-ok", "new_password2": "nouveau-974-ok"},
    )
    # Log in through the form (django-axes needs the request, which client.login omits).
    login = client.post("/comptes/login/", {"username": "marie", "password": "nouveau-974-ok"})
    assert login.status_code == 302
    # Tests collect e-mails in memory; the project itself prints them on the console.
    assert project_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_a_resident_contribution_waits_for_a_moderator(
    client, reunion_communes, resident, moderator
):
    response = client.post("/contribuer/place/", place_form())
    actor = Actor.objects.get()
    assert response.url == actor.get_absolute_url()
    assert (actor.status, actor.owner, actor.commune.name) == ("pending", resident, "Saint-Paul")
    assert actor.tags == ["jardin", "compost"]
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "Statut : en attente" in page and "<strong>Bienvenue</strong>" in page
    client.logout()
    assert client.get(actor.get_absolute_url()).status_code == 404  # not public yet
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert "Jardin partagé de la Plaine" in queue
    client.post(f"/moderation/{actor.pk}/", {"decision": "approve", "reason": ""})
    actor.refresh_from_db()
    assert actor.status == "published"
    client.logout()
    assert client.get(actor.get_absolute_url()).status_code == 200
    assert [r.action for r in actor.revisions.order_by("id")] == ["created", "approved"]


def test_trusted_author_publishes_directly(client, reunion_communes, resident):
    resident.groups.add(Group.objects.get(name="trusted"))
    client.post("/contribuer/place/", place_form())
    assert Actor.objects.get().status == "published"


def test_address_is_geocoded_when_no_point_is_placed(client, reunion_communes, resident):
    form = place_form(latitude="", longitude="", address="PL DU GENERAL DE GAULLE 97460 SAINT-PAUL")
    client.post("/contribuer/place/", form)
    assert Actor.objects.get().commune.code == "97415"
    answer = client.get("/contribuer/geocoder/", {"q": "Mairie de Cilaos"}).json()
    assert answer["label"] == "Cilaos (97424)"
    assert client.get("/contribuer/geocoder/", {"q": "Atlantide"}).status_code == 404
    refused = client.get("/contribuer/geocoder/")
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "q: une adresse de 1 à 300 caractères",
        "parameter": "q",
    }


@pytest.mark.parametrize(
    ("kind", "overrides", "field", "message"),
    [
        ("place", OFFSHORE, "address", "aucune commune connue"),
        ("place", {"latitude": "", "longitude": "", "address": "Atlantide"}, "address",
         "introuvable"),
        ("place", {"website": "pas une url"}, "website", "URL valide"),
        ("place", {"social_links_text": "https://ok.example.org\nfacebook"}, "social_links_text",
         "n&#x27;est pas une adresse web valide"),
        ("place", {"summary": "x" * 2001}, "summary", "2000 caractères"),
        ("event", {"starts_at": "2026-12-05T18:00", "ends_at": "2026-12-05T09:00"}, "ends_at",
         "La fin doit venir après le début."),
        ("event", {"starts_at": ""}, "starts_at", "obligatoire"),
        # Django reads offsets up to ±23:59; PostgreSQL refused this one on save (a 500).
        ("event", {"starts_at": "2026-12-05T18:00+20:00"}, "starts_at",
         "date et une heure valides"),
    ],
)  # fmt: skip
def test_invalid_contribution_shows_the_message_beside_the_field_and_saves_nothing(
    client, reunion_communes, resident, kind, overrides, field, message
):
    response = client.post(f"/contribuer/{kind}/", place_form(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    block = re.search(rf'id="field-{field}">(.*?)</div>\s*(?:<div|</fieldset|<div class="actions")',
                      page, re.S)  # fmt: skip
    assert block and message in block.group(1), page[page.find(f'id="field-{field}"') :][:800]
    assert Actor.objects.count() == 0


def test_preview_renders_without_saving(client, reunion_communes, resident):
    form = place_form(description="Ateliers <script>alert(1)</script>**compost**")
    form.pop("submit")
    response = client.post("/contribuer/place/", {**form, "preview": "1"})
    page = response.content.decode()
    assert "Aperçu : Jardin partagé de la Plaine" in page
    assert "<strong>compost</strong>" in page and "<script>alert(1)" not in page
    assert Actor.objects.count() == 0


def test_only_owner_co_editors_and_moderators_edit(client, reunion_communes, resident, moderator):
    other = User.objects.create_user("paul", "paul@example.org", "autre-974-ok")
    client.post("/contribuer/place/", place_form())
    actor = Actor.objects.get()
    client.force_login(other)
    assert client.get(f"/acteurs/{actor.pk}/modifier/").status_code == 403
    actor.co_editors.add(other)
    response = client.post(f"/acteurs/{actor.pk}/modifier/", place_form(name="Jardin de la Plaine"))
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Jardin de la Plaine" and actor.owner == resident


def test_rejection_reason_is_shown_to_the_author(client, reunion_communes, resident, moderator):
    client.post("/contribuer/place/", place_form())
    actor = Actor.objects.get()
    client.force_login(moderator)
    refused = client.post(f"/moderation/{actor.pk}/", {"decision": "reject", "reason": ""})
    assert refused.status_code == 302
    actor.refresh_from_db()
    assert actor.status == "pending"  # a refusal needs a reason
    client.post(f"/moderation/{actor.pk}/", {"decision": "reject", "reason": "Adresse privée"})
    client.force_login(resident)
    mine = client.get("/contribuer/mes-fiches/").content.decode()
    assert "refusé" in mine and "motif : Adresse privée" in mine


def test_moderator_limited_to_communes_cannot_decide_elsewhere(
    client, reunion_communes, resident, moderator
):
    scope = ModeratorScope.objects.create(user=moderator)
    scope.communes.add(Commune.objects.get(code="97411"))  # Saint-Denis only
    client.post("/contribuer/place/", place_form())
    actor = Actor.objects.get()  # in Saint-Paul
    client.force_login(moderator)
    assert "Jardin partagé" not in client.get("/moderation/").content.decode()
    assert client.post(f"/moderation/{actor.pk}/", {"decision": "approve"}).status_code == 403
    actor.refresh_from_db()
    assert actor.status == "pending"


def test_likely_duplicate_is_flagged_to_moderators(client, reunion_communes, resident, moderator):
    existing = Actor.objects.create(kind="place", name="JARDIN PARTAGE DE LA PLAINE",
                                    point="POINT(55.2705 -21.0096)")  # fmt: skip
    client.post("/contribuer/place/", place_form())
    new = Actor.objects.exclude(pk=existing.pk).get()
    assert new.possible_duplicate_of == existing
    client.force_login(moderator)
    assert "Doublon probable de" in client.get("/moderation/").content.decode()


def test_anyone_reports_and_moderators_see_it(client, reunion_communes, moderator):
    actor = Actor.objects.create(kind="place", name="Repair café", point="POINT(55.27 -21.0096)")
    response = client.post(f"/acteurs/{actor.pk}/signaler/", {"reason": "Fermé depuis 2024"})
    assert response.status_code == 302
    assert Report.objects.get().reporter is None
    client.force_login(moderator)
    assert "Fermé depuis 2024" in client.get("/moderation/").content.decode()


def test_moderator_reads_history_and_reverts(client, reunion_communes, resident, moderator):
    resident.groups.add(Group.objects.get(name="trusted"))
    client.post("/contribuer/place/", place_form())
    actor = Actor.objects.get()
    client.post(f"/acteurs/{actor.pk}/modifier/", place_form(name="VANDALISÉ", summary="spam"))
    actor.refresh_from_db()
    assert actor.name == "VANDALISÉ"
    assert client.get(f"/acteurs/{actor.pk}/historique/").status_code == 403
    client.force_login(moderator)
    page = client.get(f"/acteurs/{actor.pk}/historique/").content.decode()
    assert "VANDALISÉ" in page and "Jardin partagé de la Plaine" in page
    # The edit shows what changed, field by field.
    assert "<td>summary</td><td>Un jardin ouvert à tous</td><td>spam</td>" in page
    first = actor.revisions.get(action="created")
    client.post(f"/acteurs/{actor.pk}/historique/{first.pk}/retablir/")
    actor.refresh_from_db()
    assert (actor.name, actor.summary) == ("Jardin partagé de la Plaine", "Un jardin ouvert à tous")
    assert actor.revisions.first().action == ActorRevision.Action.REVERTED


def test_private_contacts_never_appear_on_the_page(client, reunion_communes, resident):
    client.post(
        "/contribuer/place/", place_form(email="lea.perso@example.org", phone="0692 00 00 00")
    )
    actor = Actor.objects.get()
    actor.status = "published"
    actor.save()
    client.logout()
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "lea.perso@example.org" not in page and "0692" not in page
    actor.email_public = True
    actor.save()
    assert "lea.perso@example.org" in client.get(actor.get_absolute_url()).content.decode()


def test_posts_without_csrf_token_are_refused(reunion_communes, resident):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(resident)
    assert strict.post("/contribuer/place/", place_form()).status_code == 403
    assert Actor.objects.count() == 0


def test_permalink_redirects_to_the_canonical_slug(client, reunion_communes):
    actor = Actor.objects.create(
        kind="place", name="Tiers-lieu Lakaz", point="POINT(55.27 -21.0096)"
    )
    assert client.get(f"/acteurs/{actor.pk}/").url == f"/acteurs/{actor.pk}-tiers-lieu-lakaz/"
    assert (
        client.get(f"/acteurs/{actor.pk}-ancien-nom/").url
        == f"/acteurs/{actor.pk}-tiers-lieu-lakaz/"
    )


@pytest.mark.parametrize("kind", ["organisation", "project", "event", "place"])
def test_each_kind_has_its_empty_form(client, resident, kind):
    page = client.get(f"/contribuer/{kind}/").content.decode()
    specific = {"organisation": "id_organisation_type", "project": "id_project_stage",
                "event": "id_starts_at", "place": "id_place_type"}  # fmt: skip
    assert f'id="{specific[kind]}"' in page
    assert "DatabaseDefault" not in page and 'id="picker"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_private_location_hides_the_address_on_the_page(client, reunion_communes, resident):
    resident.groups.add(Group.objects.get(name="trusted"))
    form = place_form(address="12 chemin des Lilas", location_is_private="on")
    client.post("/contribuer/place/", form)
    actor = Actor.objects.get()
    assert actor.location_is_private
    client.logout()
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "chemin des Lilas" not in page


def test_a_draft_stays_private_and_out_of_the_queue(client, reunion_communes, resident, moderator):
    form = place_form()
    form.pop("submit")
    client.post("/contribuer/place/", {**form, "draft": "1"})
    actor = Actor.objects.get()
    assert actor.status == "draft"
    client.force_login(moderator)
    assert "Jardin partagé" not in client.get("/moderation/").content.decode()


def test_owner_shares_editing_with_a_co_editor(client, reunion_communes, resident):
    paul = User.objects.create_user("paul", "paul@example.org", "autre-974-ok")
    client.post("/contribuer/place/", place_form())
    actor = Actor.objects.get()
    client.post(f"/acteurs/{actor.pk}/co-editeurs/", {"username": "personne"})
    assert not actor.co_editors.exists()
    client.post(f"/acteurs/{actor.pk}/co-editeurs/", {"username": "paul"})
    assert list(actor.co_editors.all()) == [paul]
    client.force_login(paul)
    assert client.get(f"/acteurs/{actor.pk}/modifier/").status_code == 200
    # A co-editor cannot hand the entry on to others.
    assert client.post(f"/acteurs/{actor.pk}/co-editeurs/", {"username": "lea"}).status_code == 403


def test_moderator_archives_a_published_entry_from_its_page(client, reunion_communes, moderator):
    actor = Actor.objects.create(kind="place", name="Ancien jardin", point="POINT(55.27 -21.0096)")
    client.force_login(moderator)
    assert 'value="archive"' in client.get(actor.get_absolute_url()).content.decode()
    client.post(f"/moderation/{actor.pk}/", {"decision": "archive", "reason": ""})
    actor.refresh_from_db()
    assert actor.status == "published"  # archiving needs a reason
    response = client.post(
        f"/moderation/{actor.pk}/", {"decision": "archive", "reason": "Fermé", "back": "actor"}
    )
    actor.refresh_from_db()
    assert (actor.status, response.url) == ("archived", actor.get_absolute_url())
    client.logout()
    assert client.get(actor.get_absolute_url()).status_code == 404
