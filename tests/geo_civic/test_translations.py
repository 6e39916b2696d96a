"""French by default, English on request: pages, forms, model labels and messages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(client):
    user = User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    client.force_login(user)
    return user


def test_the_contribution_form_is_french_by_default(client, reunion_communes, resident):
    html = client.get("/contribuer/place/").content.decode()
    assert '<html lang="fr">' in html
    for text in ("Ajouter un lieu", "Mots-clés", "Type de lieu", "jardin partagé", "Aperçu",
                 "Trouver", "Mes fiches"):  # fmt: skip
        assert text in html, text


def test_the_contribution_form_in_english(client, reunion_communes, resident):
    client.cookies["django_language"] = "en"
    html = client.get("/contribuer/place/").content.decode()
    assert '<html lang="en">' in html
    for text in ("Add a place", "Keywords", "Type of place", "shared garden", "Preview",
                 "Find", "My entries", "Name:"):  # fmt: skip
        assert text in html, text
    assert "Mots-clés" not in html and "Type de lieu" not in html
    response = client.post("/contribuer/place/", {"name": "Kaz", "submit": "1"})
    assert "Type an address or place the point on the map." in response.content.decode()


def test_accept_language_english_translates_an_actor_page(client, reunion_communes, resident):
    actor = Actor.objects.create(
        kind="place", name="Kaz", point="POINT(55.27 -21.0096)", status="pending", owner=resident
    )
    html = client.get(actor.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Status: pending" in html and "Report an error" in html
    html = client.get(actor.get_absolute_url()).content.decode()
    assert "Statut : en attente" in html and "Signaler une erreur" in html


def test_the_language_switcher_is_on_every_page(client, reunion_communes):
    html = client.get("/comptes/login/").content.decode()
    assert 'action="/i18n/setlang/"' in html and '<option value="en" lang="en">English<' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/comptes/login/"})
    assert response.status_code == 302
    assert "Forgot your password?" in client.get("/comptes/login/").content.decode()


def test_translated_labels_need_no_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_point_pickers_texts_come_from_the_javascript_catalogue(
    client, reunion_communes, resident
):
    """The contribution form loads the catalogue its script reads (gettext in JS)."""
    html = client.get("/contribuer/place/").content.decode()
    assert '<script src="/jsi18n/"></script>' in html
    french = client.get("/jsi18n/").content.decode()
    for text in ("Position choisie", "Faites glisser le point pour",
                 "placez le point sur la carte"):  # fmt: skip
        assert text in french, text
    client.cookies["django_language"] = "en"
    assert "Position choisie" not in client.get("/jsi18n/").content.decode()
