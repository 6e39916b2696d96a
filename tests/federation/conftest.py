"""Federation fixtures: Saint-Paul (97415) with an event and a proposal in vote, the JSON-LD
contexts shipped in tests/federation/contexts/, and bovine playing a remote server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from tests.participation.conftest import association, roles  # noqa: F401 (news' fixtures)

HERE = Path(__file__).resolve().parent
SAINT_PAUL = (55.2700, -21.0096)
CONTEXTS = {
    "https://www.w3.org/ns/activitystreams": HERE / "contexts" / "activitystreams.jsonld",
    "https://w3id.org/security/v1": HERE / "contexts" / "security-v1.jsonld",
}
FEDIVERSE_PYTHON = Path(settings.BASE_DIR) / ".venv-fediverse" / "bin" / "python"


@pytest.fixture(autouse=True)
def federation_settings(settings):
    """Remote servers of the tests live on loopback; ids follow the request's host."""
    settings.GEO_CIVIC_FEDERATION_ALLOW_PRIVATE = True
    settings.GEO_CIVIC_DOMAIN = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def event(reunion_communes):
    """A published event in Saint-Paul, next week."""
    from geo_civic.actors.models import Actor

    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    return Actor.objects.create(
        kind="event", name="Fête de la musique à Saint-Paul", summary="Concerts",
        description="**Gratuit**", point=Point(*SAINT_PAUL, srid=4326), address="Front de mer",
        starts_at=start, ends_at=start + timedelta(hours=4), status="published",
        email="organisatrice@example.org",
    )  # fmt: skip


@pytest.fixture
def voting_proposal(reunion_communes):
    """A yes/no proposal of a Saint-Paul space, in vote, with one vote cast."""
    from django.contrib.auth.models import User

    from geo_civic.participation.models import Proposal, Space, Vote
    from geo_civic.territories.models import Commune

    commune = Commune.objects.get(code="97415")
    space = Space.objects.create(
        commune=commune, title="Budget du quartier", eligibility="residents"
    )
    now = timezone.now()
    proposal = Proposal.objects.create(
        space=space, title="Un jardin partagé", body="Sur la *place* du marché",
        method="majority", status="voting", voting_at=now, closes_at=now + timedelta(days=14),
    )  # fmt: skip
    voter = User.objects.create_user("votante", "votante@example.org", "x")
    Vote.objects.create(proposal=proposal, voter=voter, commune=commune, choice="for")
    return proposal


def local_loader(url: str, options: dict | None = None) -> dict:
    """pyld's document loader: the contexts from the repository, nothing from the network."""
    path = CONTEXTS.get(url.rstrip("/").split("#")[0])
    if path is None:
        raise AssertionError(f"the test would fetch {url}: only shipped contexts are allowed")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "contentType": "application/ld+json",
        "document": json.loads(path.read_text()),
    }


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory) -> Iterator[str]:
    """bovine's server on loopback (its own virtual environment); its base URL."""
    if not FEDIVERSE_PYTHON.exists():
        pytest.fail(f"{FEDIVERSE_PYTHON} missing: run `make install`")
    log = tmp_path_factory.mktemp("bovine") / "stderr.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [str(FEDIVERSE_PYTHON), str(HERE / "remote_server.py")],
            stdout=subprocess.PIPE, stderr=errors, text=True,
        )  # fmt: skip
    try:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"the bovine server did not start: {log.read_text()[-2000:]}")
        print(f"bovine's log: {log}")
        yield json.loads(line)["base"]
    finally:
        process.terminate()
        process.wait(timeout=10)
