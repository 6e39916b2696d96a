"""The full communes GeoJSON over HTTP against ogr2ogr and a raw COPY, in one run.

    .venv/bin/python bench/export_layers.py [--base-url http://127.0.0.1:8000] [--repeat 15]

Uses ``DATABASE_URL`` (default: the embedded PostGIS under ``.data/``) and loads the 1,233 shared
communes when fewer are present. Without ``--base-url`` it starts its own server
(``manage.py runserver --noreload``) on a free loopback port against the same database. Times,
median of ``--repeat`` warm runs taking turns (so that all share the machine's load), each
producing the same features:

- ``http``: ``GET /api/layers/communes.geojson``, the whole body read, from ``--base-url`` or
  else Django's development server (``runserver``); the headline;
- ``http, gunicorn``: the same from gunicorn (one sync worker, the server we deploy), same
  settings and database;
- ``django in-process``: the same view through Django's test client (no HTTP server);
- ``ogr2ogr``: ``ogr2ogr -f GeoJSON`` from the same table (GDAL's own reader and writer);
- ``copy``: ``COPY (SELECT json_build_object(… ST_AsGeoJSON …)) TO STDOUT`` on an open
  connection, the floor.

Then the tiles table of ``bench/tiles.py`` (zooms 5, 8, 12, 15 against the naive query). The last
line is the headline: ``ratio: X.XX`` (http ÷ copy).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402

from bench.scratch_db import running_database  # noqa: E402
from bench.shared_communes import ensure_loaded, libpq_dsn  # noqa: E402
from bench.tiles import tile_table  # noqa: E402

COPY_SQL = """
COPY (
    SELECT json_build_object(
        'type', 'Feature', 'id', id,
        'geometry', ST_AsGeoJSON(boundary, 6)::json,
        'properties', json_build_object('code', code, 'name', name,
            'departement', departement_code, 'population', population, 'area_km2', area_km2))
    FROM territories_commune WHERE valid_to IS NULL ORDER BY country, code
) TO STDOUT
"""
PATH = "/api/layers/communes.geojson"
OGR_SQL = (
    "SELECT id, code, name, departement_code AS departement, population, area_km2, boundary "
    "FROM territories_commune WHERE valid_to IS NULL ORDER BY country, code"
)


def interleaved(ways: dict, repeat: int) -> list[tuple[str, float, int]]:
    """Median time of each way, the ways taking turns so that they share the machine's load."""
    sizes = {name: function() for name, function in ways.items()}  # warm-up
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeat):
        for name, function in ways.items():
            start = time.perf_counter()
            sizes[name] = function()
            times[name].append(time.perf_counter() - start)
    return [(name, statistics.median(times[name]), sizes[name]) for name in ways]


# Loopback only: never through a proxy the environment may name.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def over_http(url: str) -> int:
    with DIRECT.open(url, timeout=300) as response:
        return len(response.read())


def in_process(path: str) -> int:
    """The same request through Django without the HTTP server, to show the server's share."""
    from django.test import Client

    response = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0]).get(path)
    return len(b"".join(response.streaming_content))


def with_ogr2ogr(dsn: str, folder: Path) -> int:
    target = folder / "communes.geojson"
    target.unlink(missing_ok=True)
    subprocess.run(  # noqa: S603 - fixed program
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            str(target),
            f"PG:{dsn}",
            "-sql",
            OGR_SQL,
            "-lco",
            "COORDINATE_PRECISION=6",
        ],
        check=True,
        capture_output=True,
    )
    return target.stat().st_size


def with_copy(connection: psycopg.Connection) -> int:
    size = 0
    with connection.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
        for block in copy:
            size += len(block)
    return size


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(kind: str = "runserver") -> tuple[subprocess.Popen, str]:
    """Django's development server, or gunicorn (one sync worker) as deployed; same settings."""
    port = free_port()
    env = {**os.environ, "GEO_CIVIC_DEBUG": "false"}
    if kind == "gunicorn":
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "geo_civic.wsgi", "-w", "1"]
        command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    else:
        command = [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}"]
        command.append("--noreload")
    server = subprocess.Popen(  # noqa: S603 - our own programs
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            DIRECT.open(f"{base}/ogc/conformance", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def stop_servers(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running GeoCivic on the same database")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    servers: list[subprocess.Popen] = []
    with running_database(), contextlib.ExitStack() as stack:
        stack.callback(stop_servers, servers)
        count = ensure_loaded()
        base = args.base_url
        if not base:
            server, base = start_server()
            servers.append(server)
        gunicorn, gunicorn_base = start_server("gunicorn")
        servers.append(gunicorn)
        dsn = libpq_dsn(settings.DATABASES["default"])
        url = f"{base.rstrip('/')}{PATH}"
        with tempfile.TemporaryDirectory() as folder, psycopg.connect(dsn) as connection:
            rows = interleaved(
                {
                    "copy (floor)": lambda: with_copy(connection),
                    "http geojson": lambda: over_http(url),
                    "http geojson, gunicorn": lambda: over_http(gunicorn_base + PATH),
                    "django in-process": lambda: in_process(PATH),
                    "ogr2ogr": lambda: with_ogr2ogr(dsn, Path(folder)),
                },
                args.repeat,
            )
        floor = rows[0][1]
        print(f"{count} communes; median of {args.repeat} interleaved warm runs")
        print("| way | seconds | MB | ÷ copy |")
        print("|---|---|---|---|")
        for name, seconds, size in rows:
            print(f"| {name} | {seconds:.3f} | {size / 1e6:.1f} | {seconds / floor:.2f} |")
        print(f"\ntiles over Boulogne-Billancourt, {args.repeat} runs")
        tile_table(args.repeat)
        print(f"ratio: {rows[1][1] / floor:.2f}")


if __name__ == "__main__":
    main()
