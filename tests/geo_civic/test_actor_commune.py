import pytest
from django.db import connection

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

SAINT_DENIS_PREFECTURE = "POINT(55.4481 -20.8789)"
SAINT_PIERRE_CENTRE = "POINT(55.4781 -21.3393)"
INDIAN_OCEAN = "POINT(56.5 -21.0)"


def test_actor_at_a_known_point_gets_its_commune(reunion_communes):
    actor = Actor.objects.create(kind="organisation", name="Mairie", point=SAINT_DENIS_PREFECTURE)
    assert actor.commune.code == "97411"
    assert actor.commune.name == "Saint-Denis"


def test_moving_the_point_moves_the_actor_to_the_other_commune(reunion_communes):
    actor = Actor.objects.create(kind="event", name="Fête", point=SAINT_DENIS_PREFECTURE)
    actor.point = SAINT_PIERRE_CENTRE
    actor.save()
    assert actor.commune.code == "97416"


def test_point_outside_every_commune_has_no_commune(reunion_communes):
    actor = Actor.objects.create(kind="place", name="Au large", point=INDIAN_OCEAN)
    assert actor.commune is None


def test_commune_cannot_be_typed_by_hand(reunion_communes):
    actor = Actor.objects.create(kind="place", name="Jardin", point=SAINT_DENIS_PREFECTURE)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE actors_actor SET commune_id = (SELECT id FROM territories_commune "
            "WHERE code = '97416') WHERE id = %s",
            [actor.pk],
        )
    actor.refresh_from_db()
    assert actor.commune.code == "97411"
