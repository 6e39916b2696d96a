"""The recipe of ``deploy/``, run for real on loopback: nginx (configured by
``deploy/render_nginx.py``) in front of two gunicorn app servers (``deploy/gunicorn.conf.py``) in
production settings, sharing a Redis cache and a media folder, reading a streaming replica and
writing a primary, with two job workers. One app server and the worker running a steward's import
are killed during a 20 s load: no request fails and the import is done once, by the other worker.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from geo_civic.operations import embedded_db
from tests.conftest import REUNION
from tests.live_servers import (
    REPO,
    add_place,
    caught_up,
    free_port,
    make_replica,
    manage,
    primary_cluster,
    wait_for,
)

sys.path.insert(0, str(REPO / "deploy"))
from render_nginx import render  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
EXPORTS_PER_MINUTE = 4
TILE = "/tiles/communes/10/669/572.pbf"  # Le Port, La Réunion
PAS_DE_CALAIS = "communes/france-geojson/communes-62-pas-de-calais.geojson"
# A killed worker's job runs again once its heartbeats are this old (procrastinate beats every
# 10 s) and the periodic check (every minute) sees it.
STALLED_SECONDS = "25"


def nginx_main_conf(folder: Path, site: Path) -> str:
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
{user}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp}
    include {site};
}}
"""


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def site(test_data):
    base = Path(tempfile.mkdtemp(prefix="gc-deploy-", dir="/tmp"))
    base.chmod(0o711)
    processes: list[subprocess.Popen] = []
    primary = replica = None
    try:
        primary = primary_cluster(base / "primary")
        env = {**os.environ, "DATABASE_URL": embedded_db.database_url(primary)}
        manage(env, "import_communes", str(test_data(REUNION)))
        add_place(env, "Jardin du Port")
        replica = make_replica(primary, base / "replica")
        wait_for(lambda: caught_up(primary, replica), "the replica to catch up")

        redis_port = free_port()
        processes.append(subprocess.Popen(
            [REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(base)],
            stdout=subprocess.DEVNULL, start_new_session=True,
        ))  # fmt: skip
        production = {
            **env,
            "GEO_CIVIC_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "GEO_CIVIC_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "GEO_CIVIC_PROXY_COUNT": "1",
            "GEO_CIVIC_CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
            "GEO_CIVIC_REPLICA_URLS": embedded_db.database_url(replica),
            "GEO_CIVIC_EXPORTS_PER_MINUTE": str(EXPORTS_PER_MINUTE),
            "GEO_CIVIC_WORKERS": "2",
            "GEO_CIVIC_MEDIA_ROOT": str(base / "media"),  # shared, as a network storage would be
            "GEO_CIVIC_STALLED_JOB_SECONDS": STALLED_SECONDS,
        }
        production.pop("GEO_CIVIC_THROTTLE", None)
        manage(production, "collectstatic", "--noinput", "-v0")
        apps = []
        for _ in range(2):
            port = free_port()
            processes.append(subprocess.Popen(
                [str(REPO / ".venv/bin/gunicorn"), "geo_civic.wsgi",
                 "-c", "deploy/gunicorn.conf.py"],
                cwd=REPO, env={**production, "GEO_CIVIC_BIND": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            ))  # fmt: skip
            apps.append(f"127.0.0.1:{port}")
        workers = {}
        for name in ("worker-a", "worker-b"):
            # Each worker's database sessions carry its name, so the test knows who holds a job.
            url = f"{production['DATABASE_URL']}&application_name={name}"
            workers[name] = subprocess.Popen(
                [sys.executable, "manage.py", "procrastinate", "worker"],
                cwd=REPO, env={**production, "DATABASE_URL": url},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            processes.append(workers[name])
        listen = free_port()
        nginx_dir = base / "nginx"
        nginx_dir.mkdir()
        conf = nginx_dir / "geocivic.conf"
        conf.write_text(
            render(
                apps,
                f"127.0.0.1:{listen}",
                "_",
                str(REPO / "staticfiles"),
                str(nginx_dir / "cache"),
            )
        )
        (nginx_dir / "nginx.conf").write_text(nginx_main_conf(nginx_dir, conf))
        processes.append(subprocess.Popen(
            [NGINX, "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf")],
            start_new_session=True,
        ))  # fmt: skip
        front = f"http://127.0.0.1:{listen}"

        def both_up() -> bool:
            try:
                return all(get(f"http://{app}/healthz")[0] == 200 for app in apps)
            except OSError:
                return False

        wait_for(both_up, "both app servers", timeout=60)
        wait_for(lambda: get(front + "/healthz")[0] == 200, "nginx")
        yield {"front": front, "apps": apps, "servers": processes[1:3], "workers": workers,
               "env": production, "primary": primary}  # fmt: skip
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # each runs in a session of its own
                process.wait(timeout=30)
        for c in (replica, primary):
            if c:
                embedded_db.stop(c, mode="immediate")
        shutil.rmtree(base, ignore_errors=True)


def test_static_files_are_immutable_and_tiles_are_kept_by_nginx(site):
    front = site["front"]
    status, _, page = get(front + "/")
    assert status == 200
    asset = re.search(r'src="(/static/[^"]+\.[0-9a-f]{12}\.js)"', page.decode()).group(1)
    status, headers, _ = get(front + asset)
    assert status == 200
    assert "immutable" in headers["Cache-Control"]

    first = get(front + TILE)
    second = get(front + TILE)
    assert (first[0], second[0]) == (200, 200)
    assert first[1]["X-Cache-Status"] == "MISS"
    assert second[1]["X-Cache-Status"] == "HIT"
    assert second[2] == first[2]


def test_app_servers_share_one_cache(site):
    """Rate-limit counters live in Redis: the limit holds across servers and processes."""
    statuses = [
        get(site["front"] + "/api/layers/actors.csv")[0] for _ in range(EXPORTS_PER_MINUTE + 2)
    ]
    assert statuses[:EXPORTS_PER_MINUTE] == [200] * EXPORTS_PER_MINUTE
    assert statuses[EXPORTS_PER_MINUTE:] == [429, 429]


def queue_import(env: dict, path: Path) -> int:
    """A steward's large upload of commune boundaries, queued as the upload endpoint does."""
    out = manage(
        env,
        "shell",
        "-c",
        f"""
import shutil, tempfile
from pathlib import Path
from django.contrib.auth.models import Group, User
from importers.tasks import store
user = User.objects.create_user("gaelle", "gaelle@example.org", "limites-974-ok")
user.groups.add(Group.objects.get(name="stewards"))
folder = Path(tempfile.mkdtemp())
shutil.copy({str(path)!r}, folder / "communes.geojson")
print(store("communes", user, folder, {{}}).pk)
""",
    )
    return int(out.split()[-1])


def test_an_app_server_and_a_worker_killed_under_load_lose_no_request_and_no_job(site, test_data):
    front = site["front"]
    paths = ["/", "/healthz", "/api/layers/actors.geojson", "/api/places?q=port",
             "/api/categories", "/api/map/clusters?bbox=55.2,-21.4,55.9,-20.8&zoom=10"]  # fmt: skip
    failures: list[str] = []
    served = [0]
    stop_at = time.monotonic() + 20

    def load(offset: int) -> None:
        index = offset
        while time.monotonic() < stop_at:
            path = paths[index % len(paths)]
            index += 1
            try:
                status = get(front + path)[0]
            except (OSError, http.client.HTTPException) as exc:  # refused, reset, cut short
                failures.append(f"{path}: {exc!r}")
                continue
            if status >= 400:
                failures.append(f"{path}: HTTP {status}")
            served[0] += 1

    primary = psycopg.connect(**embedded_db.app_conninfo(site["primary"]), autocommit=True)
    # The import will wait on this lock: caught mid-job, in a worker we can name.
    primary.execute("BEGIN")
    primary.execute("LOCK TABLE territories_commune IN ACCESS EXCLUSIVE MODE")
    job = queue_import(site["env"], test_data(PAS_DE_CALAIS))

    def holder() -> str | None:
        with psycopg.connect(**embedded_db.app_conninfo(site["primary"])) as watcher:
            row = watcher.execute(
                "SELECT application_name FROM pg_stat_activity "
                "WHERE application_name LIKE 'worker-%' AND wait_event_type = 'Lock'"
            ).fetchone()
        return row[0] if row else None

    wait_for(lambda: holder() is not None, "a worker to start the import")
    threads = [threading.Thread(target=load, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(7)
    victim = site["servers"][0]
    # The server crashes: its master process is SIGKILLed. Its workers finish the requests they
    # hold and exit; nginx sends the next ones to the other server. (Killing every process of a
    # server while it writes a response cuts that response: nginx cannot retry what it has
    # begun to send; that is not claimed here.)
    os.kill(victim.pid, signal.SIGKILL)
    time.sleep(3)
    dead_worker = site["workers"][holder()]
    os.killpg(dead_worker.pid, signal.SIGKILL)  # mid-job
    primary.execute("ROLLBACK")
    for thread in threads:
        thread.join()
    assert victim.wait(timeout=10) == -signal.SIGKILL

    def server_gone() -> bool:
        try:
            os.killpg(victim.pid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_for(server_gone, "the crashed server's workers to exit", timeout=60)
    assert dead_worker.wait(timeout=10) == -signal.SIGKILL
    assert failures == []
    assert served[0] > 100

    def job_status() -> str:
        return primary.execute(
            "SELECT status FROM importers_importjob WHERE id = %s", [job]
        ).fetchone()[0]

    wait_for(lambda: job_status() in ("done", "failed"), "the other worker to run the job", 180)
    assert job_status() == "done"
    (count,) = primary.execute(
        "SELECT count(*) FROM territories_commune WHERE departement_code = '62'"
    ).fetchone()
    assert count == 891  # imported once, whole
    primary.close()
