"""The database dies mid-import, then comes back: nothing partial remains, the app recovers.

These tests run their own throwaway PostGIS cluster (the embedded one, in a temporary folder)
so they can crash it without touching the test database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from geo_civic.operations import embedded_db
from tests.conftest import REUNION
from tests.live_servers import free_port, wait_for

REPO = Path(__file__).resolve().parents[2]
PAS_DE_CALAIS = "communes/france-geojson/communes-62-pas-de-calais.geojson"


@pytest.fixture(scope="module")
def cluster():
    base = Path(tempfile.mkdtemp(prefix="gc-fault-", dir="/tmp"))
    c = embedded_db.Cluster(base)
    embedded_db.ensure_running(c)
    env = {**os.environ, "DATABASE_URL": embedded_db.database_url(c)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    yield c, env
    embedded_db.stop(c, mode="immediate")
    shutil.rmtree(base, ignore_errors=True)


def connect(c: embedded_db.Cluster) -> psycopg.Connection:
    return psycopg.connect(**embedded_db.app_conninfo(c), autocommit=True)


def commune_count(c: embedded_db.Cluster) -> int:
    with connect(c) as conn:
        return conn.execute("SELECT count(*) FROM territories_commune").fetchone()[0]


def test_database_killed_mid_import_leaves_nothing_partial(cluster, test_data):
    c, env = cluster
    path = test_data(PAS_DE_CALAIS)
    # Hold a lock so the import is caught between staging its rows and writing them.
    blocker = connect(c)
    blocker.execute("BEGIN")
    blocker.execute("LOCK TABLE territories_commune IN ACCESS EXCLUSIVE MODE")
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_communes", str(path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def import_is_waiting() -> bool:
        with connect(c) as conn:
            return (
                conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE '%territories_commune%'"
                ).fetchone()[0]
                > 0
            )

    wait_for(import_is_waiting, "the import to reach the commune table")
    embedded_db.stop(c, mode="immediate")  # a crash, not a clean shutdown
    out, err = importer.communicate(timeout=60)
    assert importer.returncode != 0
    assert "database error, nothing was imported" in err
    assert "Traceback" not in err

    embedded_db.ensure_running(c)
    assert commune_count(c) == 0
    again = subprocess.run(
        [sys.executable, "manage.py", "import_communes", str(path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().endswith("created 891, updated 0, unchanged 0, retired 0")


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_app_recovers_when_the_database_comes_back(cluster, test_data):
    c, env = cluster
    test_data(REUNION)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def up() -> bool:
            try:
                return healthz(port)[0] == 200
            except OSError:
                return False

        wait_for(up, "the server to answer")
        embedded_db.stop(c, mode="immediate")
        status, body = healthz(port)
        assert status == 503
        assert body["database"] == "unavailable"
        assert body["reason"]
        embedded_db.ensure_running(c)
        status, body = healthz(port)
        assert (status, body["database"]) == (200, "ok")  # same process, no restart
    finally:
        server.terminate()
        server.wait(timeout=10)
