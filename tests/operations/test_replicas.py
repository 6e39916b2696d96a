"""Public reads on a real streaming replica; writes and read-your-writes on the primary.

A throwaway primary (the embedded PostGIS in a temporary folder) gets a real hot standby made by
``pg_basebackup -R``; a server runs with ``DATABASE_URL`` on the primary and
``GEO_CIVIC_REPLICA_URLS`` on the replica. Pausing the replica's replay makes its answers
recognisably old, which shows where each read was served from.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
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
from tests.operations.test_database_faults import free_port, wait_for

REPO = Path(__file__).resolve().parents[2]
MAX_LAG = 2_000_000  # bytes of WAL


def as_admin(c: embedded_db.Cluster) -> psycopg.Connection:
    return embedded_db._admin_connect(c, "postgres")


def make_replica(primary: embedded_db.Cluster, base: Path) -> embedded_db.Cluster:
    """A hot standby of ``primary`` in ``base``, following it by streaming replication."""
    replica = embedded_db.Cluster(base)
    embedded_db._prepare_dirs(replica)
    owner = embedded_db._owner()
    passfile = base / "replication.pgpass"  # read by pg_basebackup, then by the standby
    passfile.write_text(f"*:*:*:{embedded_db.ADMIN_USER}:{embedded_db._admin_password(primary)}\n")
    passfile.chmod(0o600)
    os.chown(passfile, owner.pw_uid, owner.pw_gid)
    bindir = embedded_db.find_pg_bindir()
    result = embedded_db._run_as_owner(
        [str(bindir / "pg_basebackup"), "-D", str(replica.data_dir), "-R", "-X", "stream",
         "--checkpoint=fast", "-h", str(primary.socket_dir), "-p", str(embedded_db.PORT),
         "-U", embedded_db.ADMIN_USER, "-d", f"passfile={passfile}"],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The app role's password is the primary's: the standby holds the same roles.
    shutil.copy(primary.passfile, replica.passfile)
    shutil.copy(primary.admin_password_file, replica.admin_password_file)
    for path in (replica.passfile, replica.admin_password_file):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    embedded_db._start(replica, bindir)
    return replica


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def add_place(env: dict, name: str) -> None:
    manage(
        env,
        "shell",
        "-c",
        "from geo_civic.actors.models import Actor; "
        f"Actor.objects.create(kind='place', name={name!r}, point='POINT(55.27 -21.0)')",
    )


def caught_up(primary: embedded_db.Cluster, replica: embedded_db.Cluster) -> bool:
    with as_admin(primary) as p, as_admin(replica) as r:
        (written,) = p.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        return r.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]).fetchone()[0]


@pytest.fixture(scope="module")
def clusters():
    base = Path(tempfile.mkdtemp(prefix="gc-replica-", dir="/tmp"))
    base.chmod(0o711)  # the clusters' owner (postgres, when run as root) goes through it
    primary = embedded_db.Cluster(base / "primary")
    embedded_db.ensure_running(primary)
    env = {
        **os.environ,
        "DATABASE_URL": embedded_db.database_url(primary),
        "GEO_CIVIC_THROTTLE": "off",
    }
    manage(env, "migrate", "-v0")
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
