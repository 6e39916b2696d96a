"""Backups with PostgreSQL's own tools: ``pg_dump`` (custom format) and ``pg_restore``.

The connection comes from the Django settings, so the same commands serve the embedded cluster
and a server named by ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import DatabaseError, connections

from geo_civic.operations import dump_listing
from geo_civic.operations.embedded_db import EmbeddedDatabaseError, find_pg_bindir


class BackupFailed(Exception):
    """pg_dump or pg_restore failed; the message carries their reason."""


def _tool(name: str) -> str:
    try:
        candidate = find_pg_bindir() / name
        if candidate.exists():
            return str(candidate)
    except EmbeddedDatabaseError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupFailed(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _connection_args(alias: str) -> tuple[list[str], dict[str, str]]:
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"], "--no-password"]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if db.get("OPTIONS", {}).get("passfile"):
        env["PGPASSFILE"] = db["OPTIONS"]["passfile"]
    return args, env


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        # The error itself, not the "Command was: …" pg_restore prints after it.
        reason = ([line for line in lines if "error" in line.lower()] or lines or ["no reason"])[-1]
        raise BackupFailed(f"{Path(args[0]).name} failed: {reason}")
    return result.stdout


def _create_extensions(names: list[str], alias: str) -> None:
    """The dump's extensions, before the restore: the trusted ones (unaccent) the app's role
    creates itself; PostGIS must already be there (an administrator creates it)."""
    from psycopg import sql

    with connections[alias].cursor() as cursor:
        for name in names:
            statement = sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(name))
            try:
                cursor.execute(statement.as_string(cursor.connection))
            except DatabaseError as exc:
                raise BackupFailed(
                    f"the dump needs the extension {name}, which this database role cannot "
                    f"create: ask an administrator to run CREATE EXTENSION {name}"
                ) from exc


def backup(target: Path, alias: str = "default") -> Path:
    """Dump the whole database into ``target`` (pg_dump custom format)."""
    args, env = _connection_args(alias)
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    _run([_tool("pg_dump"), "--format=custom", "--file", str(partial), *args], env)
    partial.replace(target)
    return target


def restore(source: Path, alias: str = "default") -> None:
    """Replace the database's content by the dump, in one transaction: all or nothing.

    The app's role is no superuser, so the extensions are left out of the restore (it could
    neither drop nor comment PostGIS) and created beforehand when missing.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupFailed(f"{source}: no such file")
    args, env = _connection_args(alias)
    listing = _run([_tool("pg_restore"), "--list", str(source)], env)
    _create_extensions(dump_listing.extensions(listing), alias)
    connections[alias].close()
    with tempfile.NamedTemporaryFile("w", suffix=".list") as contents:
        contents.write(dump_listing.without_extensions(listing))
        contents.flush()
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--use-list",
                contents.name,
                *args,
                str(source),
            ],
            env,
        )
