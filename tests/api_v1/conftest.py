"""Every role of the directory, each with its own bearer token, and entries in two communes.

Saint-Paul (97415) is moderated by ``moderator``; Saint-Denis (97411) by ``other_moderator``.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from geo_civic.accounts import tokens
from geo_civic.actors.models import Actor, Category
from geo_civic.contributions.models import ModeratorScope
from geo_civic.territories.models import Commune

SAINT_PAUL = (55.2700, -21.0096)
SAINT_DENIS = (55.4504, -20.8823)
PASSWORD = "mot-de-passe-974-app"


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def person(name: str, *groups: str) -> User:
    account = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
    for group in groups:
        account.groups.add(Group.objects.get_or_create(name=group)[0])
    return account


def scoped_moderator(name: str, *codes: str) -> User:
    moderator = person(name, "moderators")
    scope = ModeratorScope.objects.create(user=moderator)
    scope.communes.add(*Commune.objects.filter(code__in=codes))
    return moderator


class Api:
    """A client of ``/api/v1/`` signed with one person's bearer token (or none)."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.client = Client()
        self.headers = {}
        if user is not None:
            _, token = tokens.create(user, "tests")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def get(self, path: str, **extra):
        return self.client.get("/api/v1/" + path, **self.headers, **extra)

    def send(self, method: str, path: str, body=None, **extra):
        return getattr(self.client, method)(
            "/api/v1/" + path, json.dumps(body), content_type="application/json",
            **self.headers, **extra,
        )  # fmt: skip

    def post(self, path: str, body=None, **extra):
        return self.send("post", path, body, **extra)

    def patch(self, path: str, body=None, **extra):
        return self.send("patch", path, body, **extra)

    def delete(self, path: str, **extra):
        return self.client.delete("/api/v1/" + path, **self.headers, **extra)


ROLES = ("anonymous", "resident", "owner", "co_editor", "moderator", "other_moderator",
         "trusted", "steward")  # fmt: skip


@pytest.fixture
def people(reunion_communes) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "resident": person("rosa"),
        "owner": person("olivier"),
        "co_editor": person("coralie"),
        "moderator": scoped_moderator("modo-paul", "97415"),
        "other_moderator": scoped_moderator("modo-denis", "97411"),
        "trusted": person("theo", "trusted"),
        "steward": person("stella", "stewards"),
    }


@pytest.fixture
def api(people) -> dict[str, Api]:
    return {role: Api(user) for role, user in people.items()}


@pytest.fixture
def garden(people) -> Actor:
    """A published association of Saint-Paul with private contacts and a home address."""
    actor = Actor.objects.create(
        kind="organisation", name="Jardins de Saint-Paul", summary="Un jardin partagé",
        point=f"POINT({SAINT_PAUL[0]} {SAINT_PAUL[1]})", status="published",
        owner=people["owner"], email="secret-contact@example.org", phone="0262 11 22 33",
        address="12 rue des Secrets", location_is_private=True,
    )  # fmt: skip
    actor.co_editors.add(people["co_editor"])
    actor.categories.add(Category.objects.create(name="Jardins", slug="jardins"))
    return actor


def feature(lon: float, lat: float, **properties) -> dict:
    props = {"kind": "project", "name": "Un composteur de quartier", **properties}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}  # fmt: skip
