"""The installed app's share target: a shared link or text starts a new contribution's form."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(client):
    client.force_login(User.objects.create_user("lea", "lea@example.org", "kaz-la-974-ok"))
    return client


def test_a_shared_link_carries_through_the_kind_to_the_form(resident):
    shared = {"title": "Jardin partagé", "text": "À voir https://jardin.example/ensemble"}
    page = html.unescape(resident.get("/contribuer/", shared).content.decode())
    assert "/contribuer/place/?title=Jardin+partag%C3%A9&amp;" not in page
    assert "/contribuer/place/?title=Jardin+partag%C3%A9&text=" in page

    form = resident.get("/contribuer/place/", shared).context["form"]
    assert form.initial["name"] == "Jardin partagé"
    assert form.initial["summary"] == "À voir"
    assert form.initial["website"] == "https://jardin.example/ensemble"


def test_sharing_saves_nothing_and_ignores_hostile_input(resident):
    from geo_civic.actors.models import Actor

    page = resident.get("/contribuer/place/", {"url": "javascript:alert(1)", "title": "x" * 5000})
    assert page.status_code == 200
    form = page.context["form"]
    assert not form.initial.get("website")  # only http(s) links
    assert len(form.initial["name"]) == 200
    assert Actor.objects.count() == 0
    # Without anything shared, the kind links stay plain.
    assert b'href="/contribuer/place/"' in resident.get("/contribuer/").content
