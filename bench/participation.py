"""A département-wide consultation at scale: results, votes through the API, proposals on the map.

    .venv/bin/python bench/participation.py [--departement 62] [--votes 200000] [--repeat 9]
        [--rate 200] [--seconds 10] [--workers 5] [--worker-class sync] [--threads 1]
        [--proposals 10000]

In a scratch database (``bench/scratch_db.py``, dropped at the end): the communes of one real
département from the data mirror (``communes-62-pas-de-calais.geojson``: 890 communes) with their
COG populations, a space of that département and a proposal with ``--votes`` ballots of
residents, spread over the communes by population (for 55 %, against 35 %, blank 10 %).

1. Final results with the per-commune breakdown (``participation.results.final_results``, what
   the close freezes) warm, ``--repeat`` times, beside the bare aggregate SQL it runs
   (``MAJORITY_SQL``), median and spread; then the ``proposal-results`` layer of the closed
   proposal over HTTP.
2. Votes cast through ``POST /api/v1/proposals/<id>/vote`` (gunicorn, production settings,
   ``GEO_CIVIC_THROTTLE=off``, Bearer tokens of distinct residents) at a fixed offered rate,
   open loop: request i leaves at t0 + i/rate whatever the answers, its latency counts from that
   time, so queueing shows. Beside: the bare ``INSERT`` of the same number of rows, one per
   transaction, on one connection. Then rates rising until p99 ≥ 200 ms or an error: the highest
   sustained rate is the last that met both.
3. The proposals layer at ``--proposals`` proposals: the map's time to the first actor marker
   with and without them (``bench/map_markers.py``'s measure, headless Chromium), and the bbox
   GeoJSON of the proposals beside the actors'.

The machine is shared (2 cores, other sessions): figures are ratios to a reference measured in
the same run. Writes its section into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Not bench/ itself: its markdown.py would hide the Markdown package that DRF imports.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")
os.environ["GEO_CIVIC_THROTTLE"] = "off"
# Playwright's sync API runs an event loop in this thread; the ORM calls beside it are plain sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from bench.load import bench_database_url, free_port, wait_until_up  # noqa: E402
from bench.scratch_db import scratch_database  # noqa: E402
from bench.timing import timed  # noqa: E402

MIRROR = Path(os.environ.get("GEO_CIVIC_DATA_MIRROR", REPO.parent / "shared" / "data"))
SUFFIX = "bench_participation"
GOAL_RESULTS_MS = 100
GOAL_P99_MS = 200

USERS_SQL = """
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined)
SELECT '!', false, %s || i, '', '', '', false, true, now() FROM generate_series(1, %s) AS i
"""
# Each commune appears once per 500 inhabitants (at least once): a ballot's commune is drawn
# from that list, so communes get ballots in proportion to their population.
VOTES_SQL = """
WITH weighted AS (
    SELECT array_agg(id) AS ids FROM (
        SELECT c.id FROM territories_commune c,
             generate_series(1, greatest(1, coalesce(c.population, 0) / 500))
        WHERE c.departement_code = %(dep)s AND c.valid_to IS NULL
    ) AS w
), drawn AS (
    SELECT u.id AS voter, random() AS r, random() AS pick
    FROM auth_user u WHERE u.username LIKE %(prefix)s
)
INSERT INTO participation_vote
    (proposal_id, voter_id, commune_id, choice, grades, approvals, cast_at, updated_at)
SELECT %(proposal)s, d.voter, w.ids[1 + floor(d.pick * cardinality(w.ids))::int],
       CASE WHEN d.r < 0.55 THEN 'for' WHEN d.r < 0.90 THEN 'against' ELSE 'blank' END,
       '{}'::jsonb, '{}'::bigint[], now(), now()
FROM drawn d, weighted w
"""
# Residents for the API votes: each lives at a point inside a commune of the département.
RESIDENCES_SQL = """
WITH communes AS (
    SELECT array_agg(ST_PointOnSurface(boundary) ORDER BY id) AS points
    FROM territories_commune WHERE departement_code = %(dep)s AND valid_to IS NULL
)
INSERT INTO participation_residence (user_id, point, verified, updated_at)
SELECT u.id, c.points[1 + (u.id %% cardinality(c.points))], false, now()
FROM auth_user u, communes c WHERE u.username LIKE %(prefix)s
"""
# The count the close ran before (three FILTERed counts per commune), a reference beside today's.
FILTERED_SQL = """
SELECT commune_id, count(*),
       count(*) FILTER (WHERE choice = 'for'),
       count(*) FILTER (WHERE choice = 'against'),
       count(*) FILTER (WHERE choice = 'blank')
FROM participation_vote WHERE proposal_id = %s GROUP BY commune_id
"""
BARE_INSERT_SQL = """
INSERT INTO participation_vote
    (proposal_id, voter_id, commune_id, choice, grades, approvals, cast_at, updated_at)
VALUES (%s, %s, %s, %s, '{}'::jsonb, '{}'::bigint[], now(), now())
"""
PROPOSALS_SQL = """
INSERT INTO participation_proposal (space_id, title, body, category, tags, location, method,
    threshold, status, created_at, withdrawn_reason)
SELECT %(space)s, 'Proposition ' || n, 'Texte', 'bench', '{}',
       ST_SetSRID(ST_MakePoint(ST_X(p.geom), ST_Y(p.geom)), 4326), 'majority', 50,
       (ARRAY['debate', 'voting', 'closed'])[1 + n %% 3], now(), ''
FROM (
    SELECT row_number() OVER () AS n, (ST_Dump(ST_GeneratePoints(boundary, %(each)s, 7))).geom
    FROM territories_commune WHERE departement_code = %(dep)s AND valid_to IS NULL
) AS p
LIMIT %(count)s
"""


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.1f} ms ({min(times):.1f}–{max(times):.1f})"


def ratio(ours: list[float], reference: list[float]) -> float:
    return statistics.median(ours) / statistics.median(reference)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def setup_consultation(dep: str, votes: int) -> dict:
    """Communes, populations, the space and a proposal with ``votes`` ballots."""
    from django.contrib.gis.db.models import Extent
    from django.db import connection

    from geo_civic.participation.models import Proposal, Space
    from geo_civic.territories.models import Commune, Departement
    from importers.cog import import_cog
    from importers.communes import import_communes

    (path,) = (MIRROR / "communes" / "france-geojson-all").glob(f"communes-{dep}-*.geojson")
    import_communes(path, source=f"france-geojson/{dep}")
    import_cog()
    communes = Commune.objects.filter(departement_code=dep, valid_to__isnull=True).count()
    space = Space.objects.create(
        departement=Departement.objects.get(code=dep),
        title="Consultation départementale",
        eligibility="residents",
    )
    proposal = Proposal.objects.create(space=space, title="Une consultation", body="b",
                                       method="majority", status="voting")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(USERS_SQL, ["ballot-", votes])
        cursor.execute(VOTES_SQL, {"dep": dep, "prefix": "ballot-%", "proposal": proposal.pk})
        # What autovacuum does soon after a load: statistics, and the visibility map that lets
        # the tally read its index alone.
        cursor.execute("VACUUM ANALYZE participation_vote")
        cursor.execute("ANALYZE")
    centre = Commune.objects.filter(departement_code=dep, valid_to__isnull=True).aggregate(
        extent=Extent("boundary")
    )["extent"]
    middle = ((centre[0] + centre[2]) / 2, (centre[1] + centre[3]) / 2)
    return {"space": space, "proposal": proposal, "communes": communes, "centre": middle}


def measure_results(proposal, repeat: int) -> dict:
    from django.db import connection

    from geo_civic.participation.results import MAJORITY_SQL, final_results

    def query(sql: str):
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, [proposal.pk])
                cursor.fetchall()

        return run

    def full() -> None:
        final_results(proposal)

    runs = {"bare": [], "full": [], "filtered": []}
    for _ in range(repeat):  # taking turns, so all share the machine's load
        runs["bare"] += timed(query(MAJORITY_SQL), 1)
        runs["full"] += timed(full, 1)
        runs["filtered"] += timed(query(FILTERED_SQL), 1)
    return runs


def make_voters(dep: str, count: int) -> list[str]:
    """``count`` residents of the département, each with a Bearer token."""
    from django.contrib.auth.models import User
    from django.db import connection
    from knox.models import AuthToken, get_digest_token
    from knox.settings import CONSTANTS

    with connection.cursor() as cursor:
        cursor.execute(USERS_SQL, ["api-voter-", count])
        cursor.execute(RESIDENCES_SQL, {"dep": dep, "prefix": "api-voter-%"})
    tokens, rows = [], []
    for user_id in User.objects.filter(username__startswith="api-voter-").values_list(
        "pk", flat=True
    ):
        digest, token = get_digest_token()
        rows.append(
            AuthToken(user_id=user_id, digest=digest, token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
        )
        tokens.append(token)
    AuthToken.objects.bulk_create(rows, batch_size=2000)
    return tokens


class Client(threading.local):
    """One keep-alive HTTP connection per thread."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(server_pid: int) -> dict:
    """CPU seconds used so far by the gunicorn workers and by the database's backends of the
    scratch database (but this process's own): what a request costs, whatever else the shared
    machine runs (the wall-clock figures are not)."""
    from django.db import connection

    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    return {"server": sum(map(_cpu_of, workers)) + _cpu_of(server_pid),
            "database": sum(map(_cpu_of, backends))}  # fmt: skip


def metered(server_pid: int, run) -> dict:
    """``run()``'s figures with the CPU milliseconds a request cost the server and the database."""
    before = cpu_seconds(server_pid)
    figures = run()
    after = cpu_seconds(server_pid)
    # A backend that connected during the run counts from zero: it was not there before.
    database = after["database"] - before["database"]
    sent = figures["sent"]
    figures["server_cpu_ms"] = (after["server"] - before["server"]) * 1000 / sent
    figures["database_cpu_ms"] = max(0.0, database) * 1000 / sent
    figures["load"] = os.getloadavg()[0]  # the shared machine's, at the end of the run
    return figures


def open_loop(port: int, proposal_id: int | None, tokens: list[str], rate: float) -> dict:
    """Send one vote per token at ``rate`` a second, on schedule whatever the answers
    (``proposal_id`` None: as many ``GET /healthz``, the reference)."""
    clients = Client(port)
    path = f"/api/v1/proposals/{proposal_id}/vote" if proposal_id else "/healthz"
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter() + 0.2

    def send(i: int, token: str) -> None:
        due = start + i / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        body = json.dumps({"choice": ("for", "against", "blank")[i % 3]})
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                   "Host": "127.0.0.1"}  # fmt: skip
        try:
            if proposal_id is None:
                clients.connection.request("GET", path, headers={"Host": "127.0.0.1"})
            else:
                clients.connection.request("POST", path, body, headers)
            response = clients.connection.getresponse()
            response.read()
            if response.status not in (200, 201):
                errors.append(str(response.status))
        except (OSError, http.client.HTTPException) as error:
            errors.append(type(error).__name__)
            clients.connection.close()
        latencies.append((time.perf_counter() - due) * 1000)

    # Enough threads that the offered rate holds while answers queue up (open loop).
    with ThreadPoolExecutor(max_workers=max(64, int(rate))) as pool:
        list(pool.map(send, range(len(tokens)), tokens))
    elapsed = time.perf_counter() - start
    return {
        "rate": rate,
        "sent": len(tokens),
        "achieved": len(tokens) / elapsed,
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
    }


def bare_inserts(proposal_id: int, voter_ids: list[int], commune_id: int) -> dict:
    """The same number of vote rows by plain INSERTs, one per transaction, one connection."""
    from django.db import connection

    latencies = []
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for i, voter in enumerate(voter_ids):
            began = time.perf_counter()
            cursor.execute(BARE_INSERT_SQL, [proposal_id, voter, commune_id,
                                             ("for", "against", "blank")[i % 3]])  # fmt: skip
            latencies.append((time.perf_counter() - began) * 1000)
    elapsed = time.perf_counter() - start
    return {"rows_per_s": len(voter_ids) / elapsed, "p50": percentile(latencies, 0.5),
            "p99": percentile(latencies, 0.99)}  # fmt: skip


def tiles_over(centre: tuple[float, float]) -> list[str]:
    """``z/x/y`` of the tiles holding ``centre`` (lon, lat) at zooms 7 to 10."""
    lon, lat = centre
    names = []
    for z in (7, 8, 9, 10):
        n = 2**z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        names.append(f"{z}/{x}/{y}")
    return names


def http_ms_many(port: int, paths: list[str], repeat: int) -> list[float]:
    """Milliseconds to fetch all of ``paths`` one after the other, ``repeat`` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for path in paths:
            http_ms(port, path, 0, warm=False)
        times.append((time.perf_counter() - start) * 1000)
    return times


def http_ms(port: int, path: str, repeat: int, warm: bool = True) -> list[float]:
    def get() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 204), (path, response.status)
        connection.close()

    if not warm:
        get()
        return []
    return timed(get, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departement", default="62")
    parser.add_argument("--votes", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    # Sync workers, 2 × cores + 1 (gunicorn's advice): a ballot waits on the database, not the CPU.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync", help="gunicorn's -k (sync, gthread)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn's --threads (gthread)")
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--no-browser", action="store_true", help="skip the map's first marker")
    parser.add_argument("--skip-votes", action="store_true", help="results only, no API votes")
    args = parser.parse_args()
    with scratch_database(SUFFIX):
        report = run(args)
        print(report)
        update_benchmarks(report)
        close_other_sessions()


def close_other_sessions() -> None:
    """End the connections the scratch database still has (Playwright's event loop leaves the
    ORM a connection of its own), or dropping it would fail."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def run(args: argparse.Namespace) -> str:
    from django.contrib.auth.models import User
    from django.db import connection

    from geo_civic.participation.lifecycle import apply
    from geo_civic.participation.models import Proposal

    started = time.perf_counter()
    made = setup_consultation(args.departement, args.votes)
    proposal = made["proposal"]
    print(
        f"{made['communes']} communes, {args.votes} votes in {time.perf_counter() - started:.0f} s"
    )
    results = measure_results(proposal, args.repeat)
    print("results", {k: spread(v) for k, v in results.items()})

    # Votes through the API: a second proposal of the same space, open to its residents.
    voting = Proposal.objects.create(space=made["space"], title="Au vote", body="b",
                                     method="majority", status="voting")  # fmt: skip
    # Then up while the goal holds, or down until it does: the highest sustained rate.
    up = [args.rate * 1.5, args.rate * 2, args.rate * 3, args.rate * 4]
    down = [args.rate / 2, args.rate / 4, args.rate / 8, args.rate / 16]
    needed = int(args.rate * args.seconds) + sum(int(r * args.seconds / 2) for r in up) + 40
    tokens = make_voters(args.departement, needed)
    apply(proposal.pk, "closed")
    url = bench_database_url(f"_{SUFFIX}")
    # Production settings refuse GEO_CIVIC_THROTTLE=off: the development ones with DEBUG off
    # (no query log), static files through whitenoise's finders.
    env = {**os.environ, "DATABASE_URL": url, "GEO_CIVIC_ENV": "development",
           "GEO_CIVIC_DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "GEO_CIVIC_THROTTLE": "off"}  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "geo_civic.wsgi", "-w", str(args.workers),
         "-k", args.worker_class, "--threads", str(args.threads),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=REPO, env=env,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        layer_path = f"/api/layers/proposal-results.geojson?proposal={proposal.pk}"
        layer = http_ms(port, layer_path, args.repeat)
        communes_path = f"/api/layers/communes.geojson?departement={args.departement}"
        communes = http_ms(port, communes_path, args.repeat)
        # What the choropleth draws: the vector tiles over the département, beside the same
        # tiles of the communes layer.
        tiles = tiles_over(made["centre"])
        query = f"?proposal={proposal.pk}"
        result_paths = [f"/tiles/proposal-results/{t}.pbf{query}" for t in tiles]
        result_tiles = http_ms_many(port, result_paths, args.repeat)
        commune_paths = [f"/tiles/communes/{t}.pbf" for t in tiles]
        commune_tiles = http_ms_many(port, commune_paths, args.repeat)
        healthz = http_ms(port, "/healthz", args.repeat)
        frozen = http_ms(port, f"/api/v1/proposals/{proposal.pk}/results", args.repeat)
        first = int(args.rate * args.seconds)
        votes, reference, map_figures = [], None, None
        if args.skip_votes:
            figures = {"layer": layer, "healthz": healthz, "frozen": frozen, "votes": [],
                       "communes": communes, "result_tiles": result_tiles,
                       "commune_tiles": commune_tiles}  # fmt: skip
            return report(args, made, results, {**figures, "reference": None}, None, None)
        # One client, one vote at a time: the service time of a vote, nothing queued.
        alone = [open_loop(port, voting.pk, [token], 1) for token in tokens[-20:]]
        healthz_alone = [open_loop(port, None, [token], 1) for token in tokens[-20:]]
        pid = server.pid
        reference = metered(pid, lambda: open_loop(port, None, tokens[:first], args.rate))
        print("healthz open loop", reference)
        votes = [metered(pid, lambda: open_loop(port, voting.pk, tokens[:first], args.rate))]
        print("votes", votes[0])
        used = first
        met = not votes[0]["errors"] and votes[0]["p99"] < GOAL_P99_MS
        for rate in up if met else down:
            batch = tokens[used : used + max(20, int(rate * args.seconds / 2))]
            used += len(batch)
            votes.append(metered(pid, lambda b=batch, r=rate: open_loop(port, voting.pk, b, r)))
            print("votes", votes[-1])
            if (not votes[-1]["errors"] and votes[-1]["p99"] < GOAL_P99_MS) != met:
                break
        map_figures = None if args.no_browser else map_first_marker(port, made, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    spare = list(User.objects.filter(username__startswith="ballot-")
                 .values_list("pk", flat=True)[:first])  # fmt: skip
    bare_target = Proposal.objects.create(space=made["space"], title="Bare", body="b",
                                          method="majority", status="voting")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM territories_commune WHERE departement_code = %s LIMIT 1",
            [args.departement],
        )
        (commune_id,) = cursor.fetchone()
    bare = bare_inserts(bare_target.pk, spare, commune_id)
    print("bare", bare)
    figures = {"layer": layer, "healthz": healthz, "frozen": frozen, "votes": votes,
               "reference": reference, "communes": communes, "result_tiles": result_tiles,
               "commune_tiles": commune_tiles,
               "alone": [v["p50"] for v in alone],
               "healthz_alone": [v["p50"] for v in healthz_alone]}  # fmt: skip
    return report(args, made, results, figures, bare, map_figures)


def map_first_marker(port: int, made: dict, args: argparse.Namespace) -> dict:
    """First actor marker on the map without, then with ``--proposals`` proposals."""
    from django.db import connection
    from playwright.sync_api import sync_playwright

    from bench.map_markers import CHROMIUM, CHROMIUM_ARGS, measure
    from geo_civic.actors.models import Actor

    with connection.cursor() as cursor:  # actors to draw: one per commune, inside it
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(boundary) AS p "
            "FROM territories_commune WHERE departement_code = %s) AS q",
            [args.departement],
        )
        points = cursor.fetchall()
    Actor.objects.bulk_create(
        [
            Actor(kind="place", name=f"Lieu {i}", point=f"POINT({x} {y})", status="published")
            for i, (x, y) in enumerate(points)
        ]  # fmt: skip
    )
    centre = points[len(points) // 2]
    view = (11, round(centre[1], 5), round(centre[0], 5))
    base = f"http://127.0.0.1:{port}"
    figures: dict = {"without": [], "with": []}
    bbox = f"{centre[0] - 0.2},{centre[1] - 0.1},{centre[0] + 0.2},{centre[1] + 0.1}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        each = -(-args.proposals // made["communes"])
        with connection.cursor() as cursor:
            params = {"space": made["space"].pk, "each": each, "dep": args.departement}
            cursor.execute(PROPOSALS_SQL, {**params, "count": args.proposals})
            cursor.execute("ANALYZE participation_proposal")
        # Taking turns, on the same database: the proposals public (with) or drafts (without).
        for _ in range(max(3, args.repeat // 3)):
            for case, status in (("without", "draft"), ("with", "voting")):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE participation_proposal SET status = %s WHERE category = 'bench'",
                        [status],
                    )
                figures[case].append(measure(browser, base, "/", view, False, None)["first"])
        browser.close()
    figures["proposals_bbox"] = http_ms(port, f"/api/layers/proposals.geojson?bbox={bbox}", 5)
    figures["actors_bbox"] = http_ms(port, f"/api/layers/actors.geojson?bbox={bbox}", 5)
    figures["count"] = args.proposals
    return figures


def report(args, made, results, figures, bare, map_figures) -> str:
    layer, healthz, votes = figures["layer"], figures["healthz"], figures["votes"]
    full, plain = statistics.median(results["full"]), statistics.median(results["bare"])
    lines = [
        "## Participation: a département-wide consultation (bench/participation.py)",
        "",
        f"{made['communes']} communes of département {args.departement}, {args.votes:,} ballots "
        "of their residents, one proposal (for / against / blank). Scratch database on the "
        "embedded PostGIS; gunicorn "
        f"{args.workers} {args.worker_class} workers"
        f"{f' × {args.threads} threads' if args.threads > 1 else ''}, persistent database "
        "connections (CONN_MAX_AGE 60), DEBUG off, no access log, GEO_CIVIC_THROTTLE=off "
        "(which production settings refuse). The machine "
        "has 2 cores shared with other sessions while this ran: read the ratios, not the "
        "absolute times. Median (min–max) of the runs.",
        "",
        "| measure | median (min–max) | reference, same run | ratio |",
        "|---|---|---|---|",
        f"| final results with the per-commune breakdown, warm (×{args.repeat}) "
        f"| {spread(results['full'])} | bare aggregate SQL {spread(results['bare'])} "
        f"| {full / plain:.2f} |",
        f"| the count alone (`results.MAJORITY_SQL`: GROUP BY commune, choice, index-only) "
        f"| {spread(results['bare'])} | the former count (three FILTERed counts a commune) "
        f"{spread(results['filtered'])} | {ratio(results['bare'], results['filtered']):.2f} |",
        f"| `proposal-results` layer GeoJSON of the closed proposal (HTTP) | {spread(layer)} "
        f"| communes layer GeoJSON of the département {spread(figures['communes'])} "
        f"| {ratio(layer, figures['communes']):.2f} |",
        f"| `proposal-results` vector tiles z7–z10 over the département (the choropleth) "
        f"| {spread(figures['result_tiles'])} | the same communes tiles "
        f"{spread(figures['commune_tiles'])} "
        f"| {ratio(figures['result_tiles'], figures['commune_tiles']):.2f} |",
        f"| `GET /api/v1/proposals/<id>/results` once closed (frozen tallies, HTTP) "
        f"| {spread(figures['frozen'])} | /healthz {spread(healthz)} "
        f"| {ratio(figures['frozen'], healthz):.1f} |",
        "",
        f"Goal ≤ {GOAL_RESULTS_MS} ms warm for the results: counted at the close (once, then "
        f"frozen) {'met' if full <= GOAL_RESULTS_MS else 'NOT met'} ({full:.0f} ms median); "
        "read by everyone after the close (the frozen resolution over HTTP) "
        f"{statistics.median(figures['frozen']):.0f} ms median.",
        "",
    ]
    if votes:
        lines += votes_lines(args, votes, figures, bare)
    if map_figures:
        lines += map_lines(map_figures)
    lines += [f"Reproduce: `.venv/bin/python bench/participation.py {' '.join(sys.argv[1:])}`", ""]
    return "\n".join(lines)


def votes_lines(args, votes: list[dict], figures: dict, bare: dict) -> list[str]:
    reference = figures["reference"]
    lines = [
        "Votes through `POST /api/v1/proposals/<id>/vote` (Bearer tokens, distinct residents), "
        "open loop: each request leaves on schedule whatever the answers; latency from its "
        "scheduled time.",
        "",
        "| requests, offered rate | sent | achieved | p50 | p99 | max | errors "
        "| CPU a request: server + database |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for v in [{**reference, "rate_label": "GET /healthz (reference)"}, *votes]:
        lines.append(
            f"| {v.get('rate_label', 'vote')} at {v['rate']:.0f}/s | {v['sent']} "
            f"| {v['achieved']:.0f}/s | {v['p50']:.1f} ms "
            f"| {v['p99']:.1f} ms | {v['max']:.0f} ms "
            f"| {v['errors']} {' '.join(v['error_kinds'])} "
            f"| {v['server_cpu_ms']:.1f} + {v['database_cpu_ms']:.1f} ms |"
        )
    sustained = [v["rate"] for v in votes if not v["errors"] and v["p99"] < GOAL_P99_MS]
    best = f"{max(sustained):.0f} votes/s" if sustained else "none met the goal"
    main = votes[0]
    ok = not main["errors"] and main["p99"] < GOAL_P99_MS
    cpu = main["server_cpu_ms"] + main["database_cpu_ms"]
    cores = os.cpu_count() or 1
    loads = ", ".join(f"{v['load']:.1f}" for v in [reference, *votes])
    lines += [
        "",
        f"Bare `INSERT` of the same rows (one per transaction, one connection): "
        f"{bare['rows_per_s']:.0f} rows/s, p50 {bare['p50']:.2f} ms, p99 {bare['p99']:.2f} ms; "
        "one client, one request at a time (nothing queued): a vote "
        f"{spread(figures['alone'])}, /healthz {spread(figures['healthz_alone'])}; a vote costs "
        f"{ratio(figures['alone'], [bare['p50']]):.0f}× a bare insert and "
        f"{ratio(figures['alone'], figures['healthz_alone']):.1f}× /healthz.",
        "",
        f"Goal at {args.rate:.0f} votes/s: p99 < {GOAL_P99_MS} ms and no error: "
        f"{'met' if ok else 'NOT met'}. Highest sustained rate tried: {best}.",
        "",
        f"What bounds it: a vote costs {cpu:.1f} ms of CPU (server {main['server_cpu_ms']:.1f} + "
        f"database {main['database_cpu_ms']:.1f}, measured from /proc whatever else runs), "
        f"/healthz {reference['server_cpu_ms'] + reference['database_cpu_ms']:.1f} ms: "
        f"{cores} cores given wholly to the server would carry at most "
        f"{cores * 1000 / cpu:.0f} votes/s (before the load generator's own share). The "
        f"machine's load average at the end of the runs: "
        f"{loads} "
        f"(other sessions), so the server got a fraction of that.",
        "",
    ]
    return lines


def map_lines(map_figures: dict) -> list[str]:
    without = statistics.median(map_figures["without"])
    with_ = statistics.median(map_figures["with"])
    return [
        f"The map with {map_figures['count']:,} proposals (proposals toggle on, its default), "
        "time to the first actor marker (headless Chromium, no throttling, zoom 11):",
        "",
        "| measure | with proposals | without (same run) | ratio |",
        "|---|---|---|---|",
        f"| first actor marker | {spread(map_figures['with'])} "
        f"| {spread(map_figures['without'])} | {with_ / without:.2f} |",
        f"| bbox GeoJSON, proposals vs actors layer | {spread(map_figures['proposals_bbox'])} "
        f"| {spread(map_figures['actors_bbox'])} "
        f"| {ratio(map_figures['proposals_bbox'], map_figures['actors_bbox']):.2f} |",
        "",
    ]


if __name__ == "__main__":
    main()
