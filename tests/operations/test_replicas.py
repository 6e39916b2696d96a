"""Public reads on a real streaming replica; writes and read-your-writes on the primary.

A throwaway primary (the embedded PostGIS in a temporary folder) gets a real hot standby made by
``pg_basebackup -R``; a server runs with ``DATABASE_URL`` on the primary and
``GEO_CIVIC_REPLICA_URLS`` on the replica. Pausing the replica's replay makes its answers
recognisably old, which shows where each read was served from.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

from geo_civic.operations import embedded_db
from tests.live_servers import (
    REPO,
    add_place,
    app_env,
    as_admin,
    caught_up,
    free_port,
    make_replica,
    manage,
    primary_cluster,
    wait_for,
)

MAX_LAG = 2_000_000  # bytes of WAL


@pytest.fixture(scope="module")
def clusters():
    base = Path(tempfile.mkdtemp(prefix="gc-replica-", dir="/tmp"))
    base.chmod(0o711)  # the clusters' owner (postgres, when run as root) goes through it
    primary = primary_cluster(base / "primary")
    env = app_env(primary)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('reza', 'reza@example.org', 'replica-974-ok')",
    )
    add_place(env, "Jardin du primaire")
    replica = make_replica(primary, base / "replica")
    wait_for(lambda: caught_up(primary, replica), "the replica to catch up")
    yield primary, replica, env
    for c in (replica, primary):
        embedded_db.stop(c, mode="immediate")
    shutil.rmtree(base, ignore_errors=True)


class Browser:
    """A client with its own cookies, as one person's browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.read()

    def place_names(self) -> set[str]:
        collection = json.loads(self.get("/api/layers/actors.geojson"))
        return {feature["properties"]["name"] for feature in collection["features"]}

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/comptes/login/").decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base + "/comptes/login/", form, headers={"Referer": self.base + "/comptes/login/"}
        )
        with self.opener.open(request, timeout=20) as response:
            assert "/comptes/login/" not in response.url  # signed in, sent on


@pytest.fixture(scope="module")
def server(clusters):
    primary, replica, env = clusters
    port = free_port()
    env = {
        **env,
        "GEO_CIVIC_REPLICA_URLS": embedded_db.database_url(replica),
        "GEO_CIVIC_REPLICA_MAX_LAG_BYTES": str(MAX_LAG),
        "GEO_CIVIC_REPLICA_CHECK_SECONDS": "0",  # every read checks: no waiting in tests
        "GEO_CIVIC_REPLICA_STICKY_SECONDS": "600",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def up() -> bool:
        try:
            return Browser(f"http://127.0.0.1:{port}").get("/healthz") is not None
        except OSError:
            return False

    wait_for(up, "the server to answer")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def test_reads_follow_the_replica_writers_read_the_primary_and_lag_or_failure_skip_it(
    clusters, server
):
    primary, replica, env = clusters
    anonymous, writer = Browser(server), Browser(server)
    assert "Jardin du primaire" in anonymous.place_names()

    with as_admin(replica) as r:
        r.execute("SELECT pg_wal_replay_pause()")
    add_place(env, "Verger récent")
    # The replica is a few KB behind, within the bound: public reads come from it, still old.
    assert "Verger récent" not in anonymous.place_names()

    # A person who has just written (signing in writes their session) reads the primary.
    writer.sign_in("reza", "replica-974-ok")
    assert "Verger récent" in writer.place_names()
    assert "Verger récent" not in anonymous.place_names()

    # Lag beyond the bound, in WAL bytes: the replica is skipped.
    with psycopg.connect(**embedded_db.app_conninfo(primary), autocommit=True) as p:
        p.execute(
            "CREATE TABLE wal_filler AS SELECT g, md5(g::text) FROM generate_series(1, 60000) g"
        )
    assert "Verger récent" in anonymous.place_names()

    # Caught up again: back on the replica, which now has the new row.
    with as_admin(replica) as r:
        r.execute("SELECT pg_wal_replay_resume()")
    wait_for(lambda: caught_up(primary, replica), "the replica to catch up")
    with as_admin(replica) as r:
        r.execute("SELECT pg_wal_replay_pause()")
    add_place(env, "Rucher du soir")
    assert "Rucher du soir" not in anonymous.place_names()  # served by the paused replica

    # The replica dies: reads fail over to the primary, with no error.
    embedded_db.stop(replica, mode="immediate")
    names = anonymous.place_names()
    assert {"Verger récent", "Rucher du soir"} <= names
