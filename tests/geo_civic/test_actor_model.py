import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from geo_civic.actors.markdown_text import render_markdown
from geo_civic.actors.models import Actor, Category
from geo_civic.actors.names import actor_slug, name_key

pytestmark = pytest.mark.django_db

SAINT_PAUL_MAIRIE = "POINT(55.2700 -21.0096)"
START = datetime(2026, 12, 5, 9, tzinfo=UTC)


def test_name_key_ignores_case_accents_punctuation_and_spaces():
    assert name_key("  Jardin partagé  du Chaudron!") == "jardin partage du chaudron"
    assert name_key("JARDIN PARTAGE DU CHAUDRON") == "jardin partage du chaudron"
    assert actor_slug("L'Académie des dalons") == "l-academie-des-dalons"
    assert actor_slug("!!!") == "acteur"


def test_markdown_is_rendered_and_scripts_are_removed():
    html = render_markdown(
        "**Bienvenue** au [jardin](https://jardin.example.org)\n\n"
        "<script>alert(1)</script><img src=x onerror=alert(1)>"
        "[piège](javascript:alert(1))"
    )
    assert "<strong>Bienvenue</strong>" in html
    assert 'href="https://jardin.example.org"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<script" not in html and "<img" not in html
    # Raw HTML is off: what was typed as a tag is shown as text, never as markup.
    markup = re.sub(r">[^<]*<", "><", html)
    assert "onerror" not in markup and "javascript:" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_contact_details_are_private_by_default(reunion_communes):
    actor = Actor.objects.create(
        kind="organisation",
        name="Asso des Hauts",
        point=SAINT_PAUL_MAIRIE,
        email="contact@hauts.example.org",
        phone="0262 00 00 00",
    )
    assert (actor.public_email, actor.public_phone) == ("", "")
    actor.email_public = True
    assert actor.public_email == "contact@hauts.example.org"
    assert actor.public_phone == ""


def test_actor_gets_name_key_slug_and_commune(reunion_communes):
    actor = Actor.objects.create(
        kind="place", name="Repair Café Saint-Paul", point=SAINT_PAUL_MAIRIE
    )
    actor.refresh_from_db()
    assert actor.name_key == "repair cafe saint paul"
    assert actor.slug == "repair-cafe-saint-paul"
    assert actor.commune.name == "Saint-Paul"


def test_event_ending_before_it_starts_is_refused_by_clean_and_by_the_database(reunion_communes):
    event = Actor(
        kind="event", name="Fête", point=SAINT_PAUL_MAIRIE, starts_at=START,
        ends_at=START - timedelta(hours=1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "ends_at" in error.value.message_dict
    with pytest.raises(IntegrityError):
        event.save()


def test_event_needs_a_start():
    event = Actor(kind="event", name="Fête", point=SAINT_PAUL_MAIRIE)
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "starts_at" in error.value.message_dict


def test_same_name_within_200_m_is_a_likely_duplicate(reunion_communes):
    first = Actor.objects.create(
        kind="place", name="Jardin partagé", point="POINT(55.2700 -21.0096)"
    )
    near = Actor(kind="place", name="JARDIN PARTAGE", point="POINT(55.2715 -21.0096)")  # ~156 m
    far = Actor(kind="place", name="Jardin partagé", point="POINT(55.2730 -21.0096)")  # ~311 m
    other = Actor(kind="place", name="Jardin des plantes", point="POINT(55.2700 -21.0096)")
    assert list(near.likely_duplicates()) == [first]
    assert list(far.likely_duplicates()) == []
    assert list(other.likely_duplicates()) == []


def test_category_tree_with_colour_and_icon():
    food = Category.objects.create(name="Alimentation", slug="alimentation", colour="#e76f51")
    amap = Category.objects.create(name="AMAP", slug="amap", parent=food, icon="basket")
    assert str(amap) == "Alimentation › AMAP"
    assert list(food.children.all()) == [amap]
    bad = Category(name="X", slug="x", colour="red")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "colour" in error.value.message_dict
    food.parent = amap
    with pytest.raises(ValidationError):
        food.clean()


def test_a_home_address_is_published_only_to_about_a_kilometre(reunion_communes):
    home = Actor.objects.create(
        kind="project", name="Compost de quartier", point="POINT(55.27123 -21.00961)",
        address="12 chemin des Lilas", location_is_private=True,
    )  # fmt: skip
    home.refresh_from_db()
    assert (home.public_point.x, home.public_point.y) == (55.27, -21.01)
    assert home.public_address == ""
    assert home.commune.name == "Saint-Paul"  # the exact point still finds the commune
    home.location_is_private = False
    home.save()
    home.refresh_from_db()
    assert home.public_point.equals_exact(home.point)
    assert home.public_address == "12 chemin des Lilas"
