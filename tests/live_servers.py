"""Helpers for tests that run real servers and processes: a primary with a streaming replica,
manage.py and job workers in child processes on the test database, free ports, waiting."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.db import connection

from geo_civic.operations import embedded_db

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def env_on_test_database(**extra: str) -> dict[str, str]:
    """A child process's environment on this session's test database (same server, credentials
    kept: the passfile in the URL's query), with ``extra`` variables."""
    parts = urlsplit(os.environ.get("DATABASE_URL") or embedded_db.database_url())
    database = parts._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
    return {**os.environ, "DATABASE_URL": database, **extra}


def run_jobs(queue: str, timeout: float = 120, **extra_env: str) -> None:
    """A real ``procrastinate worker --one-shot`` on the test database runs ``queue``'s due jobs."""
    result = subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "--queues", queue],
        cwd=REPO, env=env_on_test_database(**extra_env), capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


def empty_job_queue() -> None:
    """Jobs are not flushed with the test tables (procrastinate owns its tables)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


def primary_cluster(base: Path) -> embedded_db.Cluster:
    """A throwaway embedded PostGIS in ``base``, started, with the app's tables."""
    primary = embedded_db.Cluster(base)
    embedded_db.ensure_running(primary)
    manage(app_env(primary), "migrate", "-v0")
    return primary


def app_env(primary: embedded_db.Cluster, **extra: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": embedded_db.database_url(primary),
        "GEO_CIVIC_THROTTLE": "off",
        **extra,
    }


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
