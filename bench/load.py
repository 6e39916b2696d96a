"""Load benchmark: gunicorn serving GeoCivic, wrk hammering it on loopback.

    .venv/bin/python bench/load.py [--seconds 10] [--connections 50] [--workers 4]

Loads the five shared départements (1,233 communes) and the GoGoCarto initiatives into a separate
`<db>_bench` database, starts gunicorn (production settings, several workers, static files by
whitenoise) and runs wrk against each scenario for a bounded time. `/healthz` (one trivial query)
is the reference measured in the same run; every scenario is reported as a ratio to it.
Writes the table into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from bench.scratch_db import start_database  # noqa: E402
from geo_civic.operations import embedded_db  # noqa: E402

MIRROR = Path(os.environ.get("GEO_CIVIC_DATA_MIRROR", REPO.parent / "shared" / "data"))
COMMUNE_FILES = sorted((MIRROR / "communes" / "france-geojson").glob("*.geojson"))
ACTORS_FILE = MIRROR / "actors" / "gogocartojs-pwa-alternatives" / "elements-pwa.json"

# Views a resident opens: La Réunion at several zooms, Hauts-de-Seine, Pas-de-Calais.
BBOXES = [
    "55.2,-21.4,55.9,-20.85",
    "55.40,-20.95,55.50,-20.86",
    "55.25,-21.10,55.45,-20.95",
    "2.15,48.73,2.34,48.95",
    "1.55,50.0,3.19,51.0",
    "2.2,50.3,2.6,50.5",
]
SCENARIOS = {
    "healthz (reference)": ["/healthz"],
    "actors bbox GeoJSON": [f"/api/layers/actors.geojson?bbox={b}" for b in BBOXES],
    "communes bbox GeoJSON": [f"/api/layers/communes.geojson?bbox={b}" for b in BBOXES[:4]],
    "communes tiles": [
        f"/tiles/communes/{z}/{x}/{y}.pbf"
        for z, x, y in (
            (5, 16, 11),
            (5, 20, 17),
            (8, 129, 88),
            (8, 167, 143),
            (9, 334, 286),
            (10, 669, 573),
        )
    ],
    "actors tiles": [
        f"/tiles/actors/{z}/{x}/{y}.pbf"
        for z, x, y in ((8, 167, 143), (10, 669, 573), (12, 2679, 2293))
    ],
    "search (q)": [f"/api/layers/actors.geojson?q={q}" for q in ("jardin", "association", "velo")],
    "map page": ["/"],
}
# Browsers revalidate what they cached: these scenarios send the ETag back (If-None-Match).
REVALIDATED = {
    "communes tiles, cached (304)": "communes tiles",
    "actors bbox GeoJSON, cached (304)": "actors bbox GeoJSON",
}
LUA = """
paths = {%s}
etags = {%s}
counter = 0
request = function()
  counter = counter + 1
  local i = (counter %% #paths) + 1
  local headers = {}
  if etags[i] ~= "" then headers["If-None-Match"] = etags[i] end
  return wrk.format("GET", paths[i], headers)
end
"""


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("ETag", "")


def bench_database_url(suffix: str = "_bench") -> str:
    """The app's database URL with ``suffix`` added to the name (the query, e.g. the embedded
    cluster's ``passfile``, is kept)."""
    base = os.environ.get("DATABASE_URL") or embedded_db.database_url()
    parts = urlsplit(base)
    name = parts.path.lstrip("/") + suffix
    return urlunsplit(parts._replace(path="/" + quote(name)))


def create_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def production_env(url: str, **extra: str) -> dict[str, str]:
    """The environment of a server run as in production, on the benchmark's database ``url``
    (a fresh secret key, no HTTPS redirect on loopback); ``extra``: more variables."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "GEO_CIVIC_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "GEO_CIVIC_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        **extra,
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def parse_duration_ms(text: str | None) -> float:
    """wrk's "524.12ms", "1.20s"…; a percentile wrk did not print (no answer in time) is +inf."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text or "")
    if not found:
        return math.inf
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(
    base: str,
    paths: list[str],
    seconds: int,
    connections: int,
    etags: list[str] | None = None,
    wrk_timeout: str = "5s",
) -> dict:
    etags = etags or [""] * len(paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = (", ".join(json.dumps(v) for v in values) for values in (paths, etags))
        script.write(LUA % tuple(quoted))
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            wrk_timeout,
            "-s",
            script.name,
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    Path(script.name).unlink()
    # wrk pads seconds ("3.01s "): trailing blanks are allowed.
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(rps.group(1)) if (rps := re.search(r"Requests/sec:\s+([\d.]+)", out)) else 0.0,
        # A slow scenario may print no distribution at all (every request timed out): no KeyError.
        "p50": parse_duration_ms(latency.get("50")),
        "p99": parse_duration_ms(latency.get("99")),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def write_report(results: dict, args: argparse.Namespace) -> str:
    reference = results["healthz (reference)"]["rps"]
    lines = [
        "## Load (bench/load.py)",
        "",
        f"gunicorn, {args.workers} sync workers, production settings; wrk, {args.connections} "
        f"connections, {args.seconds} s per scenario, loopback; 1,233 communes and 98 initiatives."
        " Reference: `/healthz` (one trivial query) in the same run.",
        "",
        "| scenario | requests/s | ratio to reference | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / reference:.2f} | {r['p50']:.1f} "
            f"| {r['p99']:.1f} | {r['errors']} |"
        )
    goal = [name for name in REVALIDATED if name in results]
    met = all(results[n]["errors"] == 0 and results[n]["p99"] < 200 for n in goal)
    lines += [
        "",
        "Goal: zero errors and p99 under 200 ms at 50 clients for cached tiles and bbox queries "
        f"({', '.join(goal)}): {'met' if met else 'NOT met'} in this run. Uncached, the rows "
        "above say where we stand. The machine has 2 cores shared by wrk, the workers and "
        "PostgreSQL.",
        "",
        f"Reproduce: `{' '.join(['.venv/bin/python', 'bench/load.py', *sys.argv[1:]])}`",
        "",
    ]
    return "\n".join(lines)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    start_database()  # left running: the servers it starts read it
    url = bench_database_url()
    create_database(url)
    env = production_env(url)
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    for path in COMMUNE_FILES:
        print(path.name, manage(env, "import_communes", str(path)))
    print("actors", manage(env, "import_actors", str(ACTORS_FILE), "--source-key", "bench"))

    port = free_port()
    server = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "geo_civic.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz")
        results = {}
        for name, paths in SCENARIOS.items():
            results[name] = run_wrk(base, paths, args.seconds, args.connections)
            print(name, results[name])
        for name, of in REVALIDATED.items():
            paths = SCENARIOS[of]
            etags = [etag_of(base + path) for path in paths]
            results[name] = run_wrk(base, paths, args.seconds, args.connections, etags)
            print(name, results[name])
    finally:
        server.terminate()
        server.wait(timeout=30)
    section = write_report(results, args)
    update_benchmarks(section)
    print(section)


if __name__ == "__main__":
    main()
