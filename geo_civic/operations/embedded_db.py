"""The embedded PostGIS used when ``DATABASE_URL`` is unset.

A private PostgreSQL cluster lives under ``.data/`` in the repository and listens only on a Unix
socket in that folder, so it never clashes with a server the machine already runs. ``initdb`` and
``postgres`` refuse to run as root, so as root the cluster belongs to the ``postgres`` system user;
when that user cannot reach the checkout (a parent folder closed to others, or a socket path too
long for the kernel), the cluster moves to a folder under ``/tmp`` named after the checkout.

Command line: ``python -m geo_civic.operations.embedded_db start|stop|status|env``.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REPO_DIR = Path(__file__).resolve().parents[2]
DB_NAME = "geocivic"
DB_USER = "geocivic"
PORT = 5432
# sun_path is 108 bytes on Linux; leave room for the terminating NUL.
MAX_SOCKET_PATH = 100


class EmbeddedDatabaseError(RuntimeError):
    """The embedded cluster cannot be created or started; the message says what to do."""


@dataclass(frozen=True)
class Cluster:
    base: Path

    @property
    def data_dir(self) -> Path:
        return self.base / "pg"

    @property
    def socket_dir(self) -> Path:
        return self.base / "run"

    @property
    def log_file(self) -> Path:
        return self.base / "postgresql.log"


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _reachable_by_others(path: Path) -> bool:
    """True when every parent of ``path`` lets other users traverse it."""
    for parent in [path, *path.parents]:
        if not parent.exists():
            continue
        if not parent.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def cluster() -> Cluster:
    """Where the embedded cluster of this checkout lives. Pure: no side effects."""
    base = REPO_DIR / ".data"
    socket_path = base / "run" / f".s.PGSQL.{PORT}"
    too_long = len(str(socket_path)) > MAX_SOCKET_PATH
    if too_long or (_running_as_root() and not _reachable_by_others(REPO_DIR)):
        digest = hashlib.sha1(str(REPO_DIR).encode()).hexdigest()[:10]
        base = Path("/tmp") / f"geocivic-{digest}"
    return Cluster(base)


def find_pg_bindir() -> Path:
    """The bin folder of the newest installed PostgreSQL that has PostGIS."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    for initdb in candidates:
        version = initdb.parent.parent.name
        if Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return initdb.parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise EmbeddedDatabaseError(
        "PostgreSQL with PostGIS is not installed: run `make install` "
        "(or `apt-get install postgresql-15-postgis-3`)."
    )


def _run_as_owner(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if _running_as_root():
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=False, capture_output=True, text=True, **kwargs)


def _owner() -> pwd.struct_passwd:
    return pwd.getpwnam("postgres") if _running_as_root() else pwd.getpwuid(os.geteuid())


def _prepare_dirs(c: Cluster) -> None:
    owner = _owner()
    for path in (c.base, c.socket_dir):
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, owner.pw_uid, owner.pw_gid)
    c.base.chmod(0o700)


def _initdb(c: Cluster, bindir: Path) -> None:
    result = _run_as_owner(
        [
            str(bindir / "initdb"),
            "-D",
            str(c.data_dir),
            f"--username={DB_USER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ]
    )
    if result.returncode != 0:
        raise EmbeddedDatabaseError(f"initdb failed: {result.stderr.strip()}")


def is_running(c: Cluster | None = None) -> bool:
    c = c or cluster()
    if not (c.data_dir / "PG_VERSION").exists():
        return False
    result = _run_as_owner([str(find_pg_bindir() / "pg_ctl"), "-D", str(c.data_dir), "status"])
    return result.returncode == 0


def _create_database(c: Cluster) -> None:
    import psycopg

    conninfo = {"host": str(c.socket_dir), "port": PORT, "user": DB_USER}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    with psycopg.connect(dbname=DB_NAME, autocommit=True, **conninfo) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def ensure_running(c: Cluster | None = None) -> bool:
    """Create and start the cluster if needed. Returns True when this call started it."""
    c = c or cluster()
    bindir = find_pg_bindir()
    if is_running(c):
        return False
    _prepare_dirs(c)
    if not (c.data_dir / "PG_VERSION").exists():
        _initdb(c, bindir)
    options = f"-c listen_addresses='' -k {c.socket_dir} -p {PORT} -c fsync=off"
    result = _run_as_owner(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(c.data_dir),
            "-l",
            str(c.log_file),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ],
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        log = c.log_file.read_text(errors="replace")[-2000:] if c.log_file.exists() else ""
        raise EmbeddedDatabaseError(
            f"could not start the embedded PostgreSQL: {result.stderr.strip()}\n{log}"
        )
    _create_database(c)
    return True


def stop(c: Cluster | None = None, mode: str = "fast") -> None:
    """Stop the cluster; ``mode="immediate"`` is a crash. A no-op when it is not running."""
    c = c or cluster()
    if is_running(c):
        _run_as_owner(
            [str(find_pg_bindir() / "pg_ctl"), "-D", str(c.data_dir), "-m", mode, "-w", "stop"]
        )


def django_settings(c: Cluster | None = None) -> dict:
    """The ``DATABASES['default']`` entry that reaches the embedded cluster."""
    return {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": DB_NAME,
        "USER": DB_USER,
        "HOST": str((c or cluster()).socket_dir),
        "PORT": str(PORT),
    }


def database_url(c: Cluster | None = None) -> str:
    """A ``DATABASE_URL`` for the cluster, for tools and child processes."""
    socket_dir = quote(str((c or cluster()).socket_dir), safe="")
    return f"postgres://{DB_USER}@{socket_dir}:{PORT}/{DB_NAME}"


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    try:
        if command == "start":
            started = ensure_running()
            print(
                "embedded PostGIS started" if started else "embedded PostGIS already running",
                f"(socket in {cluster().socket_dir})",
            )
        elif command == "stop":
            stop()
            print("embedded PostGIS stopped")
        elif command == "status":
            running = is_running()
            print(f"embedded PostGIS {'running' if running else 'stopped'} in {cluster().base}")
            return 0 if running else 3
        else:
            print(
                "usage: python -m geo_civic.operations.embedded_db start|stop|status "
                f"(not {command!r})",
                file=sys.stderr,
            )
            return 2
    except EmbeddedDatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
