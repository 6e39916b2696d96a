"""Test set-up: the embedded PostGIS (unless DATABASE_URL is set) and the shared real datasets."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from geo_civic.operations import embedded_db

REUNION = "communes/france-geojson/communes-974-la-reunion.geojson"
GOGOCARTO = "actors/gogocartojs-pwa-alternatives/elements-pwa.json"
TRANSISCOPE = "actors/transiscope-niort/transiscope-niort.json"
CNFS = "actors/anct-conseillers-numeriques/cnfs.json"


def pytest_configure(config: pytest.Config) -> None:
    # Tests leave the machine as they found it: stop the cluster if they started it.
    if not os.environ.get("DATABASE_URL"):
        config.stash[started_key] = embedded_db.ensure_running()


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(started_key, False):
        embedded_db.stop()


started_key = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def test_data() -> Callable[[str], Path]:
    """A path inside GEO_CIVIC_TEST_DATA; a missing file is an error, never a skip."""

    def path_of(relative: str) -> Path:
        path = Path(settings.GEO_CIVIC_TEST_DATA) / relative
        if not path.is_file():
            pytest.fail(f"test data missing: {path} (set GEO_CIVIC_TEST_DATA, see shared/data)")
        return path

    return path_of


@pytest.fixture
def reunion_communes(db, test_data):
    """The 24 communes of La Réunion, imported the way a data steward would."""
    from importers.communes import import_communes

    return import_communes(test_data(REUNION), source="france-geojson/974")


@pytest.fixture(autouse=True)
def offline_geocoding(settings):
    """Tests never reach a real geocoding service; those that need one serve it on loopback."""
    settings.GEO_CIVIC_GEOCODERS = ["offline"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with full quotas: rate-limit counters live in the cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_job_left_behind(request):
    """A test that commits (transactional) leaves no job to the next: the flush between tests
    leaves procrastinate's tables alone, and a worker a test ran may have queued periodic jobs
    (whose queueing locks would then refuse the next test's)."""
    marker = request.node.get_closest_marker("django_db")
    committed = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if committed:
        request.getfixturevalue("transactional_db")  # set up first, so torn down after this
    yield
    if committed:
        from tests.live_servers import empty_job_queue

        empty_job_queue()
