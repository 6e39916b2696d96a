"""People, places and spaces of La Réunion for the local democracy tests.

Saint-Paul (97415) is the commune under test; Saint-Denis (97411) is elsewhere. Each role of the
issue is a real account: residents say where they live through the same service as the API.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.cache import cache

from geo_civic.actors.models import Actor
from geo_civic.contributions.models import ModeratorScope
from geo_civic.participation.models import Residence, Space
from geo_civic.participation.residence import set_residence
from geo_civic.territories.models import Commune

SAINT_PAUL = (55.2700, -21.0096)
SAINT_PAUL_2 = (55.3000, -21.0500)
SAINT_DENIS = (55.4504, -20.8823)
PASSWORD = "mot-de-passe-974-participation"


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Hashing a dozen passwords with the production hasher costs seconds a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def person(name: str, *groups: str) -> User:
    account = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
    for group in groups:
        account.groups.add(Group.objects.get_or_create(name=group)[0])
    return account


def live_in(user: User, lon: float, lat: float, verified: bool = False) -> Residence:
    residence = set_residence(user, Point(lon, lat, srid=4326))
    if verified:
        Residence.objects.filter(pk=residence.pk).update(verified=True)
    return residence


def scoped_moderator(name: str, *codes: str) -> User:
    moderator = person(name, "moderators")
    scope = ModeratorScope.objects.create(user=moderator)
    scope.communes.add(*Commune.objects.filter(code__in=codes))
    return moderator


@pytest.fixture
def roles(reunion_communes) -> dict[str, User | None]:
    """Every role of the issue; ``member`` co-edits the association of ``actor_space``."""
    people = {
        "anonymous": None,
        "elsewhere": person("denis"),
        "resident": person("paula"),
        "verified": person("vera"),
        "member": person("mina"),
        "author": person("auteur"),
        "other_moderator": scoped_moderator("modo-denis", "97411"),
        "moderator": scoped_moderator("modo-paul", "97415"),
        "steward": person("steward", "stewards"),
    }
    live_in(people["elsewhere"], *SAINT_DENIS)
    live_in(people["resident"], *SAINT_PAUL)
    live_in(people["verified"], *SAINT_PAUL_2, verified=True)
    live_in(people["author"], *SAINT_PAUL, verified=True)
    return people


@pytest.fixture
def association(roles) -> Actor:
    actor = Actor.objects.create(
        kind="organisation", name="Association des jardins de Saint-Paul",
        point=f"POINT({SAINT_PAUL[0]} {SAINT_PAUL[1]})", status="published",
        owner=person("presidente"),
    )  # fmt: skip
    actor.co_editors.add(roles["member"])
    return actor


def saint_paul() -> Commune:
    return Commune.objects.get(code="97415")


@pytest.fixture
def space(roles) -> Space:
    """Saint-Paul's space for its residents."""
    return Space.objects.create(commune=saint_paul(), title="Saint-Paul décide",
                                eligibility="residents")  # fmt: skip


def as_(client, user):
    """The test client signed in as ``user`` (None: anonymous)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def post(client, url: str, data, method: str = "post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def feature(space_id: int, geometry=None, **properties) -> dict:
    props = {"space": space_id, "title": "Un jardin partagé au centre-ville",
             "body": "Nous proposons un **jardin** partagé.", "method": "majority",
             "threshold": 50, **properties}  # fmt: skip
    return {"type": "Feature", "geometry": geometry, "properties": props}
