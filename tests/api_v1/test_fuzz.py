"""Schemathesis drives every operation of ``/api/v1/`` from its live OpenAPI document, writes
included, as each role in turn: anonymous, a resident, a moderator of the commune, a steward.

Whatever is generated, no 5xx; every answer's status, content type, headers and body match the
document (refusals included, as problem details). Each generated case is sent as one role, and
once more with its path id replaced by a real entry's, so writes also reach real rows. One test
walks every operation (the data is set up once) with bounded examples each, within CI's budget.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import Group, User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from schemathesis.specs.openapi.checks import positive_data_acceptance, unsupported_method

from geo_civic.accounts import tokens
from geo_civic.actors.models import Actor, Category
from geo_civic.contributions.models import ModeratorScope
from geo_civic.participation.models import Proposal, Space
from geo_civic.territories.models import Commune
from geo_civic.wsgi import application

# The one document holds the site's own endpoints too (tests/layers/test_openapi_conformance.py
# drives those): here, the app API's operations.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application).include(
    path_regex="^/api/v1/"
)
FUZZ = hypothesis.settings(
    max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
ROLES = ("anonymous", "resident", "moderator", "steward")
PASSWORD = "mot-de-passe-974-fuzz"
# Left out: positive data acceptance (a role may rightly be refused what the schema admits:
# 401, 403, 404 are documented refusals) and undeclared methods (Django's CSRF check first).
EXCLUDED = [positive_data_acceptance, unsupported_method]


def _person(name: str, *groups: str) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def world(db, reunion_communes, settings):
    """An entry, a space and a proposal of Saint-Paul; one token per role."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.GEO_CIVIC_THROTTLE = False
    resident = _person("rosa")
    moderator = _person("modo", "moderators")
    ModeratorScope.objects.create(user=moderator).communes.add(
        Commune.objects.get(code="97415")
    )
    steward = _person("stella", "stewards")
    actor = Actor.objects.create(
        kind="organisation", name="Jardins", point="POINT(55.27 -21.0096)", status="published",
        owner=resident, email="secret@example.org",
    )  # fmt: skip
    actor.categories.add(Category.objects.create(name="Jardins", slug="jardins"))
    space = Space.objects.create(commune=Commune.objects.get(code="97415"), title="Saint-Paul",
                                 eligibility="residents")  # fmt: skip
    proposal = Proposal.objects.create(
        space=space, author=resident, title="Un jardin partagé", body="Texte", status="debate",
        method="majority",
    )  # fmt: skip
    headers = {"anonymous": {}}
    for role, user in (("resident", resident), ("moderator", moderator), ("steward", steward)):
        _, token = tokens.create(user, "fuzz")
        headers[role] = {"Authorization": f"Bearer {token}"}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"headers": headers, "ids": {"actors": actor.pk, "spaces": space.pk,
                                       "proposals": proposal.pk, "communes": "97415"}}  # fmt: skip
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_id(case, ids: dict) -> dict | None:
    """The case's path parameters with ``id``/``code`` naming a real row, if it has one."""
    params = dict(case.path_parameters or {})
    collection = case.path.removeprefix("/api/v1/").split("/")[0]
    for name in ("id", "code"):
        if name in params and collection in ids:
            params[name] = ids[collection]
            return params
    return None


def test_every_v1_operation_follows_its_schema_for_every_role(world):
    """One bounded run per operation, the data set up once; the roles take turns."""
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    turn = iter(range(10**9))
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def check(case) -> None:
            role = ROLES[next(turn) % len(ROLES)]
            headers = {"Accept-Encoding": "identity", **world["headers"][role]}
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
            real = real_id(case, world["ids"])
            if real is not None:
                case.path_parameters = real
                case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        check()
