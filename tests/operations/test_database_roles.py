"""Least privilege in the database: the app's role reaches no server file or program, nobody
connects to the embedded cluster without its password, ``check --deploy`` warns about a role
that could, and a cluster made by an earlier version (superuser, trust) is moved on start.

The embedded-cluster tests run their own throwaway cluster, fresh from ``initdb``.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from geo_civic.operations import embedded_db
from tests.conftest import REUNION

REPO = Path(__file__).resolve().parents[2]
AS_ROOT = os.geteuid() == 0
NO_CREDENTIALS = {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def throwaway_cluster() -> embedded_db.Cluster:
    return embedded_db.Cluster(Path(tempfile.mkdtemp(prefix="gc-roles-", dir="/tmp")))


def discard(c: embedded_db.Cluster) -> None:
    embedded_db.stop(c, mode="immediate")
    shutil.rmtree(c.base, ignore_errors=True)


@pytest.fixture(scope="module")
def fresh():
    c = throwaway_cluster()
    embedded_db.ensure_running(c)
    yield c
    discard(c)


def url_of(c: embedded_db.Cluster, user: str, password: str, dbname: str = "geocivic") -> str:
    socket_dir = quote(str(c.socket_dir), safe="")
    return f"postgres://{user}:{password}@{socket_dir}:{embedded_db.PORT}/{dbname}"


def manage(env_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        # As a deployment would run it: without the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
        env={
            **{k: v for k, v in NO_CREDENTIALS.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DATABASE_URL": env_url,
        },
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.django_db
def test_the_apps_role_reaches_no_server_file_or_program():
    marker = Path("/tmp") / f"gc-program-ran-{uuid.uuid4().hex}"
    attempts = [
        "SELECT pg_read_file('/etc/passwd')",
        "COPY leak FROM '/etc/passwd'",
        f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'",
        f"COPY (SELECT 1) TO '{marker}'",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False,)
        cursor.execute("CREATE TEMPORARY TABLE leak (line text)")
        for statement in attempts:
            with pytest.raises(DatabaseError) as caught, transaction.atomic():
                cursor.execute(statement)
            assert isinstance(caught.value.__cause__, psycopg.errors.InsufficientPrivilege), (
                statement
            )
        cursor.execute("SELECT count(*) FROM leak")
        assert cursor.fetchone() == (0,)
    assert not marker.exists()


@pytest.mark.parametrize("user", [embedded_db.ADMIN_USER, embedded_db.DB_USER])
def test_no_connection_without_the_password(fresh, user, tmp_path, monkeypatch):
    for name in ("PGPASSWORD", "PGPASSFILE"):
        monkeypatch.delenv(name, raising=False)
    where = {"host": str(fresh.socket_dir), "port": embedded_db.PORT, "dbname": "postgres"}
    with pytest.raises(psycopg.OperationalError, match="no password supplied"):
        psycopg.connect(**where, user=user, passfile=str(tmp_path / "none"))
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(**where, user=user, password="guessed")


def authentication_methods(c: embedded_db.Cluster) -> set[str]:
    hba = (c.data_dir / "pg_hba.conf").read_text()
    return {line.split()[-1] for line in hba.splitlines() if line.strip() and line[0] != "#"}


def test_the_cluster_trusts_nobody_and_keeps_its_secrets_private(fresh):
    assert authentication_methods(fresh) == {"scram-sha-256"}
    for secret in (fresh.passfile, fresh.admin_password_file):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.base.stat().st_mode) == 0o700


@pytest.mark.parametrize("user", [embedded_db.ADMIN_USER, embedded_db.DB_USER])
def test_another_system_user_gets_nothing_without_credentials(fresh, user):
    psql = str(embedded_db.find_pg_bindir() / "psql")
    query = [psql, "-w", "-At", "-h", str(fresh.socket_dir), "-U", user, "-d", "postgres"]
    query += ["-c", "SELECT 'inside'"]
    # Root reads every file of the cluster; another system user is what an intruder would be.
    command = ["runuser", "-u", "nobody", "--", *query] if AS_ROOT else query
    env = {**NO_CREDENTIALS, "HOME": "/nonexistent"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "inside" not in result.stdout
    assert "connection to server" in result.stderr


def test_check_deploy_warns_about_a_superuser_or_a_file_reading_role(fresh):
    admin_password = fresh.admin_password_file.read_text().strip()
    as_superuser = manage(url_of(fresh, "postgres", admin_password), "check", "--deploy")
    assert "geo_civic.W001" in as_superuser.stderr
    assert "role 'postgres', which is a superuser" in as_superuser.stderr

    reader_password = uuid.uuid4().hex
    with embedded_db._admin_connect(fresh, "postgres") as conn:
        conn.execute("DROP ROLE IF EXISTS reader")
        conn.execute(f"CREATE ROLE reader LOGIN PASSWORD '{reader_password}'")
        conn.execute("GRANT pg_read_server_files TO reader")
    as_reader = manage(url_of(fresh, "reader", reader_password), "check", "--deploy")
    assert "geo_civic.W001" in as_reader.stderr
    assert "a member of pg_read_server_files" in as_reader.stderr

    as_app = manage(embedded_db.database_url(fresh), "check", "--deploy")
    assert as_app.returncode == 0, as_app.stderr
    assert "geo_civic.W001" not in as_app.stdout + as_app.stderr
    assert "geo_civic.I001" not in as_app.stdout + as_app.stderr  # it did check


def test_tools_get_a_url_that_connects_and_carries_no_password(fresh):
    url = embedded_db.database_url(fresh)
    assert fresh.passfile.read_text().split(":")[-1].strip() not in url
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("geocivic",)
    printed = subprocess.run(
        [sys.executable, "-m", "geo_civic.operations.embedded_db", "env"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.startswith("DATABASE_URL=")
    assert "passfile=" in printed
    mine = embedded_db.cluster()
    if mine.passfile.exists():
        assert mine.passfile.read_text().split(":")[-1].strip() not in printed
        assert mine.admin_password_file.read_text().strip() not in printed


def make_legacy_cluster(c: embedded_db.Cluster, *statements: str) -> None:
    """A cluster as earlier versions made it: superuser ``geocivic``, ``--auth=trust``."""
    embedded_db._prepare_dirs(c)
    initdb = [str(embedded_db.find_pg_bindir() / "initdb"), "-D", str(c.data_dir)]
    initdb += ["--username=geocivic", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
    if AS_ROOT:
        initdb = ["runuser", "-u", "postgres", "--", *initdb]
    subprocess.run(initdb, capture_output=True, check=True)
    embedded_db._start(c, embedded_db.find_pg_bindir())
    where = {"host": str(c.socket_dir), "port": embedded_db.PORT, "user": "geocivic"}
    with psycopg.connect(**where, dbname="postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE geocivic")
    with psycopg.connect(**where, dbname="geocivic", autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
        for statement in statements:
            conn.execute(statement)


def test_a_cluster_of_an_earlier_version_is_moved_to_the_non_superuser_role(test_data):
    c = throwaway_cluster()
    try:
        make_legacy_cluster(c)
        legacy_url = f"postgres://geocivic@{quote(str(c.socket_dir), safe='')}/geocivic"
        for args in (["migrate", "-v0"], ["import_communes", str(test_data(REUNION))]):
            done = manage(legacy_url, *args)
            assert done.returncode == 0, done.stderr
        embedded_db.stop(c)  # `make demo` stopped with Ctrl-C last week

        assert embedded_db.ensure_running(c) is True
        assert not (c.base / "pg.legacy").exists()
        assert authentication_methods(c) == {"scram-sha-256"}
        with psycopg.connect(**embedded_db.app_conninfo(c)) as conn:
            assert conn.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone() == (False,)
            assert conn.execute("SELECT count(*) FROM territories_commune").fetchone() == (24,)
            foreign = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tableowner <> current_user AND tablename <> 'spatial_ref_sys'"
            ).fetchall()
            assert foreign == []
        again = manage(embedded_db.database_url(c), "import_communes", str(test_data(REUNION)))
        assert again.returncode == 0, again.stderr
        assert again.stdout.strip().endswith("created 0, updated 0, unchanged 24, retired 0")
        migrated = manage(embedded_db.database_url(c), "migrate", "--check")
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    finally:
        discard(c)


def test_a_cluster_that_cannot_be_moved_is_left_as_it_was_with_what_to_do():
    c = throwaway_cluster()
    try:
        make_legacy_cluster(
            c,
            "CREATE TABLE kept (name text)",
            "INSERT INTO kept VALUES ('my data')",
            # Only a superuser may create an event trigger: the restore as the app role fails.
            "CREATE FUNCTION noop() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END'",
            "CREATE EVENT TRIGGER noop ON ddl_command_start EXECUTE FUNCTION noop()",
        )
        with pytest.raises(embedded_db.EmbeddedDatabaseError) as caught:
            embedded_db.ensure_running(c)
        message = str(caught.value)
        assert "it is unchanged" in message
        assert f"rm -rf {c.base}" in message
        assert "\n" not in message
        assert "trust" in authentication_methods(c)
        assert not c.passfile.exists() and not (c.base / "pg.legacy").exists()
        assert embedded_db.is_running(c)  # running before, running after
        where = {"host": str(c.socket_dir), "port": embedded_db.PORT, "user": "geocivic"}
        with psycopg.connect(**where, dbname="geocivic") as conn:
            assert conn.execute("SELECT name FROM kept").fetchall() == [("my data",)]
    finally:
        discard(c)
