"""The "same name within 200 m" check answers from published positions of published entries only:
importing (or contributing) a name at chosen places must not reveal where a home is, nor that an
unpublished entry exists."""

from __future__ import annotations

import pytest
from django.db import connection

from geo_civic.actors.models import Actor
from importers.actors import ActorRow, upsert_actors

pytestmark = pytest.mark.django_db

NAME = "Atelier vélo de Lucie"
# A home in Saint-Denis, about 600 m from the centre of its 0.01° cell (its published position).
HOME = (55.4540, -20.8860)
PUBLIC = (55.45, -20.89)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_MakePoint(%s, %s)::geography, ST_MakePoint(%s, %s)::geography)",
            [*a, *b],
        )
        return cursor.fetchone()[0]


def point(lon_lat: tuple[float, float]) -> str:
    return f"POINT({lon_lat[0]} {lon_lat[1]})"


def import_one(lon_lat: tuple[float, float], source_id: str = "1"):
    row = ActorRow(source_id=source_id, kind="organisation", name=NAME.upper(), lon=lon_lat[0],
                   lat=lon_lat[1])  # fmt: skip
    return upsert_actors([row], source_key="steward-file", dry_run=True)


@pytest.fixture
def home(reunion_communes):
    actor = Actor.objects.create(
        kind="organisation", name=NAME, point=point(HOME), location_is_private=True
    )
    actor.refresh_from_db()
    assert actor.public_point.coords == pytest.approx(PUBLIC)
    return actor


def test_an_import_near_the_exact_home_is_not_a_duplicate(home):
    near_home = (HOME[0] + 0.0014, HOME[1])
    assert metres(near_home, HOME) < 200 < metres(near_home, PUBLIC)
    summary = import_one(near_home)
    assert (summary.created, summary.skipped) == (1, 0), summary.report()
    assert home.likely_duplicates().count() == 0
    contribution = Actor(kind="organisation", name=NAME, point=point(near_home))
    assert list(contribution.likely_duplicates()) == []


def test_an_import_near_the_published_position_is_a_duplicate(home):
    near_public = (PUBLIC[0] + 0.001, PUBLIC[1])
    assert metres(near_public, PUBLIC) < 200 < metres(near_public, HOME)
    summary = import_one(near_public)
    assert (summary.created, summary.skipped) == (0, 1)
    assert summary.report() == [
        f"skipped 1 (likely duplicate of a stored actor): {NAME.upper()} ≈ #{home.pk} {NAME}"
    ]
    contribution = Actor(kind="organisation", name=NAME, point=point(near_public))
    assert list(contribution.likely_duplicates()) == [home]


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived"])
def test_entries_not_published_are_never_reported(reunion_communes, status):
    Actor.objects.create(kind="organisation", name=NAME, point=point(HOME), status=status)
    summary = import_one((HOME[0] + 0.0005, HOME[1]))
    assert (summary.created, summary.skipped) == (1, 0), summary.report()
    contribution = Actor(kind="organisation", name=NAME, point=point(HOME))
    assert list(contribution.likely_duplicates()) == []


def test_an_ordinary_published_place_is_still_found_within_200_m(reunion_communes):
    place = Actor.objects.create(kind="organisation", name=NAME, point=point(HOME))
    assert import_one((HOME[0] + 0.0014, HOME[1])).skipped == 1
    assert import_one((HOME[0] + 0.0030, HOME[1])).created == 1
    assert list(Actor(kind="place", name=NAME, point=point(HOME)).likely_duplicates()) == [place]
