"""Backups with PostgreSQL's own tools: ``pg_dump`` (custom format) and ``pg_restore``.

The connection comes from the Django settings, so the same commands serve the embedded cluster
and a server named by ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connections

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
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupFailed(f"{Path(args[0]).name} failed: {lines[-1] if lines else 'no reason'}")


def backup(target: Path, alias: str = "default") -> Path:
    """Dump the whole database into ``target`` (pg_dump custom format)."""
    args, env = _connection_args(alias)
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    _run([_tool("pg_dump"), "--format=custom", "--file", str(partial), *args], env)
    partial.replace(target)
    return target


def restore(source: Path, alias: str = "default") -> None:
    """Replace the database's content by the dump, in one transaction: all or nothing."""
    source = Path(source)
    if not source.is_file():
        raise BackupFailed(f"{source}: no such file")
    connections[alias].close()
    args, env = _connection_args(alias)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source),
        ],
        env,
    )
