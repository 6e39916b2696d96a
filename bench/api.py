"""App API benchmark: the v1 actors and proposals lists at 50 concurrent clients, beside the
streamed layer of the same actors.

    .venv/bin/python bench/api.py [--seconds 5] [--connections 50] [--workers 4]

Loads La Réunion's communes, the GoGoCarto initiatives and 2,000 generated published actors
plus 300 proposals into a separate ``<db>_apibench`` database, starts gunicorn (production
settings, the app API's rates raised out of the way) and runs wrk against each scenario, after
one warm-up request. ``/healthz`` is the reference measured in the same run. Writes its section
of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from bench.load import (  # noqa: E402
    ACTORS_FILE,
    MIRROR,
    bench_database_url,
    create_database,
    free_port,
    manage,
    production_env,
    run_wrk,
    wait_until_up,
)
from geo_civic.operations import embedded_db  # noqa: E402

REUNION = MIRROR / "communes" / "france-geojson" / "communes-974-la-reunion.geojson"
GENERATED_ACTORS = 2000
PROPOSALS = 300
# Runs in `manage.py shell`: generated rows, only if not there yet (a second run reuses them).
SEED = f"""
import random
from geo_civic.actors.models import Actor
from geo_civic.participation.models import Proposal, Space
from geo_civic.territories.models import Commune
rng = random.Random(974)
if not Actor.objects.filter(source_key="apibench").exists():
    Actor.objects.bulk_create(
        Actor(kind=rng.choice(["organisation", "project", "place"]), name=f"Initiative {{i}}",
              summary="Générée pour le banc d'essai", source_key="apibench", source_id=str(i),
              point=f"POINT({{rng.uniform(55.25, 55.75)}} {{rng.uniform(-21.3, -20.9)}})",
              status="published")
        for i in range({GENERATED_ACTORS})
    )
    for actor in Actor.objects.filter(source_key="apibench", commune__isnull=True):
        actor.delete()  # a random point at sea
    space = Space.objects.create(commune=Commune.objects.get(code="97415"),
                                 title="Saint-Paul décide", eligibility="residents")
    Proposal.objects.bulk_create(
        Proposal(space=space, title=f"Proposition {{i}}", body="Texte **riche**",
                 status="debate", method="majority")
        for i in range({PROPOSALS})
    )
print(Actor.objects.filter(status="published").count(), Proposal.objects.count())
"""
SCENARIOS = {
    "healthz (reference)": ["/healthz"],
    "v1 actors list, page of 50": ["/api/v1/actors?page_size=50"],
    "v1 actors list, page of 200": ["/api/v1/actors?page_size=200"],
    "v1 actors list, commune filter": ["/api/v1/actors?commune=97415&page_size=50"],
    "layer actors.geojson, limit 50": ["/api/layers/actors.geojson?limit=50"],
    "layer actors.geojson, limit 200": ["/api/layers/actors.geojson?limit=200"],
    "layer actors.geojson, commune filter": ["/api/layers/actors.geojson?commune=97415"],
    "v1 proposals list, 50": ["/api/v1/proposals?limit=50"],
    "v1 proposals list, all 300": ["/api/v1/proposals"],
}
REVALIDATED = {"v1 actors list, page of 50, cached (304)": "v1 actors list, page of 50"}
GOAL = ["v1 actors list, page of 50", "v1 proposals list, 50"]


def warm_up(url: str) -> str:
    """One request before measuring (a worker's first one loads code and caches); its ETag."""
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        return response.headers.get("ETag", "")


def measure(base: str, paths: list[str], args: argparse.Namespace, etags=None) -> dict:
    """wrk's figures; a run where no request finished in time is all errors, not a crash."""
    try:
        # A long timeout: on a loaded machine a slow answer is a latency to report, not a loss.
        return run_wrk(base, paths, args.seconds, args.connections, etags, wrk_timeout="30s")
    except KeyError:
        nan = float("nan")
        return {"rps": 0.0, "p50": nan, "p99": nan, "errors": -1, "requests": 0}


def write_report(results: dict, counts: str, args: argparse.Namespace) -> str:
    reference = results["healthz (reference)"]["rps"]
    actors, proposals = counts.split()
    lines = [
        "## App API (bench/api.py)",
        "",
        f"gunicorn, {args.workers} sync workers, production settings, rates raised; wrk, "
        f"{args.connections} connections, {args.seconds} s per scenario, loopback; "
        f"{int(actors):,} published actors (La Réunion's initiatives and generated ones), "
        f"{int(proposals)} proposals. Reference: `/healthz` in the same run. The machine (2 "
        "cores) is shared by wrk, the workers, PostgreSQL and other sessions: read ratios, "
        "not absolute figures.",
        "",
        "| scenario | requests/s | ratio to reference | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / reference:.2f} | {r['p50']:.1f} "
            f"| {r['p99']:.1f} | {r['errors']} |"
        )
    met = all(results[n]["errors"] == 0 and results[n]["p99"] < 200 for n in GOAL)
    lines += [
        "",
        f"Goal: p99 under 200 ms at {args.connections} clients and no errors for "
        f"{' and '.join(GOAL)}: {'met' if met else 'NOT met'} in this run. A v1 page holds at "
        "most 200 Features and links (`links.geojson`) to the streamed layer of the same "
        "filters for whole sets. Each v1 actors scenario repeats one page: after the first "
        "answer, its body comes from the cache under its ETag (one version query per request), "
        "while the layer streams from PostGIS every time.",
        "",
        f"Reproduce: `{' '.join(['.venv/bin/python', 'bench/api.py', *sys.argv[1:]])}`",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        embedded_db.ensure_running()
    url = bench_database_url("_apibench")
    create_database(url)
    # Production refuses to run with throttling off: the app API's rates are raised instead.
    env = production_env(
        url,
        **dict.fromkeys(
            ["GEO_CIVIC_THROTTLE_ANON", "GEO_CIVIC_THROTTLE_USER", "GEO_CIVIC_THROTTLE_IP"],
            "100000000/m",
        ),
    )
    setup_env = env
    manage(setup_env, "migrate", "-v0")
    manage(setup_env, "collectstatic", "--noinput", "-v0")
    print("communes", manage(setup_env, "import_communes", str(REUNION)))
    print("actors", manage(setup_env, "import_actors", str(ACTORS_FILE), "--source-key", "bench"))
    counts = manage(setup_env, "shell", "-c", SEED).splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "geo_civic.wsgi", "-w", str(args.workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=REPO, env=setup_env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz")
        results = {}
        for name, paths in SCENARIOS.items():
            for path in paths:
                warm_up(base + path)
            results[name] = measure(base, paths, args)
            print(name, results[name])
        for name, of in REVALIDATED.items():
            paths = SCENARIOS[of]
            etags = [warm_up(base + path) for path in paths]
            results[name] = measure(base, paths, args, etags)
            print(name, results[name])
    finally:
        server.terminate()
        server.wait(timeout=30)
    section = write_report(results, counts, args)
    update_benchmarks(section)
    print(section)


if __name__ == "__main__":
    main()
