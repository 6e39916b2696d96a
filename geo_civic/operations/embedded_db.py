"""The embedded PostGIS used when ``DATABASE_URL`` is unset.

A private PostgreSQL cluster lives under ``.data/`` in the repository and listens only on a Unix
socket in that folder, so it never clashes with a server the machine already runs. ``initdb`` and
``postgres`` refuse to run as root, so as root the cluster belongs to the ``postgres`` system user;
when that user cannot reach the checkout (a parent folder closed to others, or a socket path too
long for the kernel), the cluster moves to a folder under ``/tmp`` named after the checkout.

Least privilege: the app connects as ``geocivic``, which owns its database but is no superuser; the
bootstrap superuser ``postgres`` only creates roles, databases and extensions. Both give a
generated password (SCRAM), kept in files of mode 0600 in the cluster's folder; ``pg_hba.conf``
trusts nobody. A cluster made by an earlier version (superuser ``geocivic``, ``trust``) is moved
to this layout on start, its database dumped and restored.

Command line: ``python -m geo_civic.operations.embedded_db start|stop|status|env``.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import secrets
import shlex
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from geo_civic.operations import dump_listing

REPO_DIR = Path(__file__).resolve().parents[2]
DB_NAME = "geocivic"
DB_USER = "geocivic"
ADMIN_USER = "postgres"
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

    @property
    def passfile(self) -> Path:
        """The app role's password, as a libpq password file (mode 0600)."""
        return self.base / "pgpass"

    @property
    def admin_password_file(self) -> Path:
        """The bootstrap superuser's password (mode 0600)."""
        return self.base / "bootstrap.password"


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


def _write_secret(path: Path, text: str) -> None:
    """A file only the cluster's owner (and root) can read, created with mode 0600."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    owner = _owner()
    os.chown(path, owner.pw_uid, owner.pw_gid)


def _create_secrets(c: Cluster) -> None:
    # token_urlsafe has no ':' or '\\', the separators of a libpq password file.
    _write_secret(c.admin_password_file, secrets.token_urlsafe(32) + "\n")
    _write_secret(c.passfile, f"*:*:*:{DB_USER}:{secrets.token_urlsafe(32)}\n")


def _app_password(c: Cluster) -> str:
    return c.passfile.read_text().strip().split(":", 4)[4]


def _admin_password(c: Cluster) -> str:
    return c.admin_password_file.read_text().strip()


def _has_secrets(c: Cluster) -> bool:
    return c.passfile.is_file() and c.admin_password_file.is_file()


def _trusts_someone(c: Cluster) -> bool:
    """True for a cluster of an earlier version, whose pg_hba.conf lets anyone in (``trust``)."""
    hba = c.data_dir / "pg_hba.conf"
    if not hba.is_file():
        return False
    lines = (line.split("#", 1)[0].split() for line in hba.read_text().splitlines())
    return any("trust" in fields for fields in lines)


def _initdb(c: Cluster, bindir: Path) -> None:
    _create_secrets(c)
    result = _run_as_owner(
        [
            str(bindir / "initdb"),
            "-D",
            str(c.data_dir),
            f"--username={ADMIN_USER}",
            f"--pwfile={c.admin_password_file}",
            "--auth-local=scram-sha-256",
            "--auth-host=scram-sha-256",
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


def app_conninfo(c: Cluster | None = None, dbname: str = DB_NAME) -> dict:
    """psycopg connection parameters of the app role (its password read from the passfile)."""
    c = c or cluster()
    return {
        "host": str(c.socket_dir),
        "port": PORT,
        "user": DB_USER,
        "dbname": dbname,
        "passfile": str(c.passfile),
    }


def _admin_connect(c: Cluster, dbname: str):
    import psycopg

    return psycopg.connect(
        host=str(c.socket_dir),
        port=PORT,
        user=ADMIN_USER,
        password=_admin_password(c),
        dbname=dbname,
        autocommit=True,
    )


def _bootstrap(c: Cluster, extensions: tuple[str, ...] = ("postgis",)) -> None:
    """As the bootstrap superuser: postgis in template1, the app role, its database."""
    from psycopg import sql

    with _admin_connect(c, "template1") as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    with _admin_connect(c, "postgres") as conn:
        # Hashed here, so the password itself never reaches the server or its logs.
        hashed = conn.pgconn.encrypt_password(
            _app_password(c).encode(), DB_USER.encode(), b"scram-sha-256"
        ).decode()
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [DB_USER]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(
            sql.SQL(verb + " ROLE {} LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD {}").format(
                sql.Identifier(DB_USER), sql.Literal(hashed)
            )
        )
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(DB_NAME), sql.Identifier(DB_USER)
                )
            )
    with _admin_connect(c, DB_NAME) as conn:
        for name in extensions:
            conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(name)))


def _start(c: Cluster, bindir: Path) -> None:
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


def _last_line(result: subprocess.CompletedProcess) -> str:
    """The reason a PostgreSQL tool gives: its last error line (not the "Command was" after)."""
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [f"exit status {result.returncode}"])[-1]


def _dump_legacy(c: Cluster, bindir: Path, dump: Path) -> bool:
    """pg_dump the legacy database (its superuser ``geocivic`` is trusted); False when absent."""
    import psycopg

    legacy = {"host": str(c.socket_dir), "port": PORT, "user": DB_USER, "dbname": "postgres"}
    with psycopg.connect(**legacy) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
    if not found:
        return False
    result = subprocess.run(
        [str(bindir / "pg_dump"), "--format=custom", "--file", str(dump), "--no-password",
         "--host", str(c.socket_dir), "--port", str(PORT), "--username", DB_USER,
         "--dbname", DB_NAME],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise EmbeddedDatabaseError(f"pg_dump failed: {_last_line(result)}")
    return True


def _restore_as_app(c: Cluster, bindir: Path, dump: Path) -> None:
    """Restore the legacy dump as the app role, so that it owns every object."""
    pg_restore = str(bindir / "pg_restore")
    listed = subprocess.run(
        [pg_restore, "--list", str(dump)], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        raise EmbeddedDatabaseError(f"pg_restore failed: {_last_line(listed)}")
    _bootstrap(c, tuple(dump_listing.extensions(listed.stdout)))
    contents = c.base / "legacy.list"
    contents.write_text(dump_listing.without_extensions(listed.stdout))
    result = subprocess.run(
        [pg_restore, "--no-owner", "--single-transaction", "--exit-on-error", "--no-password",
         "--use-list", str(contents), "--host", str(c.socket_dir), "--port", str(PORT),
         "--username", DB_USER, "--dbname", DB_NAME, str(dump)],
        env={**os.environ, "PGPASSFILE": str(c.passfile)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    contents.unlink(missing_ok=True)
    if result.returncode != 0:
        raise EmbeddedDatabaseError(f"pg_restore failed: {_last_line(result)}")


def _move_legacy(c: Cluster, bindir: Path) -> None:
    """Move a cluster of an earlier version (superuser ``geocivic``, trust) to the two roles.

    Its database is dumped, the cluster made anew, the dump restored as the app role; on any
    failure the old cluster is put back as it was and the error says what to do.
    """
    import psycopg

    print(
        f"embedded PostGIS: moving the database in {c.base} to a non-superuser role (once)…",
        file=sys.stderr,
    )
    legacy_dir = c.base / "pg.legacy"
    dump = c.base / "legacy.dump"
    was_running = is_running(c)
    try:
        if not was_running:
            _start(c, bindir)
        has_database = _dump_legacy(c, bindir, dump)
        stop(c)
        if is_running(c):
            raise EmbeddedDatabaseError("it did not stop")
    except (EmbeddedDatabaseError, psycopg.Error) as exc:
        dump.unlink(missing_ok=True)
        if not was_running:
            stop(c)
        raise EmbeddedDatabaseError(
            f"could not move the embedded database in {c.base} to a non-superuser role ({exc}); "
            f"it is unchanged. To start afresh instead: rm -rf {c.base}"
        ) from exc
    shutil.rmtree(legacy_dir, ignore_errors=True)
    c.data_dir.rename(legacy_dir)
    try:
        _initdb(c, bindir)
        _start(c, bindir)
        if has_database:
            _restore_as_app(c, bindir, dump)
        else:
            _bootstrap(c)
    except (EmbeddedDatabaseError, psycopg.Error, OSError) as exc:
        stop(c, mode="immediate")
        shutil.rmtree(c.data_dir, ignore_errors=True)
        c.passfile.unlink(missing_ok=True)
        c.admin_password_file.unlink(missing_ok=True)
        legacy_dir.rename(c.data_dir)
        if was_running:
            _start(c, bindir)
        raise EmbeddedDatabaseError(
            f"could not move the embedded database in {c.base} to a non-superuser role ({exc}); "
            f"it is unchanged. To start afresh instead: rm -rf {c.base}"
        ) from exc
    finally:
        dump.unlink(missing_ok=True)
    shutil.rmtree(legacy_dir, ignore_errors=True)
    print("embedded PostGIS: moved; the app now connects as a non-superuser", file=sys.stderr)


def ensure_running(c: Cluster | None = None) -> bool:
    """Create and start the cluster if needed. Returns True when this call started it."""
    c = c or cluster()
    bindir = find_pg_bindir()
    initialised = (c.data_dir / "PG_VERSION").exists()
    if initialised and _trusts_someone(c):
        was_running = is_running(c)
        _move_legacy(c, bindir)
        return not was_running
    if initialised and not _has_secrets(c):
        raise EmbeddedDatabaseError(
            f"the embedded database in {c.base} has lost its password files "
            f"({c.passfile.name}, {c.admin_password_file.name}): "
            f"remove {c.base} to start afresh (its data is lost)"
        )
    if is_running(c):
        return False
    _prepare_dirs(c)
    if not initialised:
        _initdb(c, bindir)
    _start(c, bindir)
    _bootstrap(c)
    return True


def stop(c: Cluster | None = None, mode: str = "fast") -> None:
    """Stop the cluster; ``mode="immediate"`` is a crash. A no-op when it is not running."""
    c = c or cluster()
    if is_running(c):
        _run_as_owner(
            [str(find_pg_bindir() / "pg_ctl"), "-D", str(c.data_dir), "-m", mode, "-w", "stop"]
        )


def django_settings(c: Cluster | None = None) -> dict:
    """The ``DATABASES['default']`` entry that reaches the embedded cluster as the app role.

    The password is read by libpq from the passfile when connecting, so the settings can be
    imported before the cluster (and its password) exists.
    """
    c = c or cluster()
    return {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": DB_NAME,
        "USER": DB_USER,
        "HOST": str(c.socket_dir),
        "PORT": str(PORT),
        "OPTIONS": {"passfile": str(c.passfile)},
    }


def database_url(c: Cluster | None = None) -> str:
    """A ``DATABASE_URL`` for the cluster, for tools and child processes.

    It names the passfile rather than carrying the password, so printing it leaks nothing.
    """
    c = c or cluster()
    socket_dir = quote(str(c.socket_dir), safe="")
    passfile = quote(str(c.passfile), safe="/")
    return f"postgres://{DB_USER}@{socket_dir}:{PORT}/{DB_NAME}?passfile={passfile}"


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
        elif command == "env":
            print(f"DATABASE_URL={shlex.quote(database_url())}")
        else:
            print(
                "usage: python -m geo_civic.operations.embedded_db start|stop|status|env "
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
