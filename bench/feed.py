"""A resident's feed among a million activities, and the fan-out of one news item.

    .venv/bin/python bench/feed.py [--activities 1000000] [--repeat 30] [--followers 10000]

On a scratch database (bench/scratch_db.py) the rows are generated set-wise in SQL: N
activities, each under two subjects (one of 20,000 actors, one of 500 communes), a resident
following 200 of them (150 actors, 50 communes) beside 2,000 other people following 20 things
each. Times, warm, ``--repeat`` times in the same run:

- the feed's first page through ``geo_civic.social.feed.feed`` (one SQL statement, Python rows);
- the bare indexed query as reference: the newest 20 activities of ONE subject, read from
  ``activity_subject_feed_idx`` (what each of the feed's 200 probes does);
- a later page (the cursor of page 5);
- the database's own execution time of the bare query and of the feed (``EXPLAIN ANALYZE``,
  timing off), which leaves out the round trip and the scheduling waits of a loaded machine.

Then ``tell_followers`` (the fan-out job's body) of one news item to ``--followers`` people
following its commune: one set-wise query for the followers, one INSERT for the notifications.
Prints ``EXPLAIN ANALYZE`` of the feed; writes its section into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Not bench/ itself first: bench/markdown.py would shadow the markdown package DRF imports.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from bench.scratch_db import scratch_database  # noqa: E402
from bench.timing import timed  # noqa: E402

ACTORS, COMMUNES = 20_000, 500
BARE_SQL = (
    "SELECT activity_id FROM social_activitysubject WHERE subject = 'actor' "
    "AND target_id = 131 ORDER BY created_at DESC, activity_id DESC LIMIT 20"
)


def generate(cursor, activities: int, followers: int) -> dict:
    """Every row made by INSERT … SELECT generate_series: no Python loop over rows."""
    started = time.perf_counter()
    cursor.execute("""
        INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                               is_staff, is_active, date_joined)
        SELECT '!', false, 'person' || g, '', '', '', false, true, now()
          FROM generate_series(0, %s) g
    """, [max(followers, 2000)])  # fmt: skip
    cursor.execute("SELECT min(id) FROM auth_user")
    (first,) = cursor.fetchone()
    cursor.execute("""
        INSERT INTO social_activity (verb, key, title, url, created_at)
        SELECT 'news', 'bench:' || g, 'News ' || g, '/actualites/' || g || '/',
               now() - make_interval(secs => g * 3)
          FROM generate_series(1, %s) g
    """, [activities])  # fmt: skip
    cursor.execute("""
        INSERT INTO social_activitysubject (activity_id, subject, target_id, created_at)
        SELECT id, 'actor', id %% %s, created_at FROM social_activity
        UNION ALL
        SELECT id, 'commune', (id * 7) %% %s, created_at FROM social_activity
    """, [ACTORS, COMMUNES])  # fmt: skip
    # The resident (the first account): 150 actors and 50 communes.
    cursor.execute("""
        INSERT INTO social_follow (user_id, subject, target_id, created_at)
        SELECT %s, 'actor', g * 131 %% %s, now() FROM generate_series(1, 150) g
        UNION ALL
        SELECT %s, 'commune', g * 9, now() FROM generate_series(1, 50) g
    """, [first, ACTORS, first])  # fmt: skip
    # 2,000 others following 20 actors each.
    cursor.execute("""
        INSERT INTO social_follow (user_id, subject, target_id, created_at)
        SELECT %s + u, 'actor', (u * 37 + k * 101) %% %s, now()
          FROM generate_series(1, 2000) u, generate_series(1, 20) k
        ON CONFLICT DO NOTHING
    """, [first, ACTORS])  # fmt: skip
    # The fan-out's audience: --followers people following commune 1 (news there).
    cursor.execute("""
        INSERT INTO social_follow (user_id, subject, target_id, created_at)
        SELECT %s + u, 'commune', 100000, now() FROM generate_series(0, %s) u
    """, [first, followers - 1])  # fmt: skip
    cursor.execute("VACUUM ANALYZE")  # the visibility map: index-only scans fetch no heap
    return {"resident": first, "seconds": time.perf_counter() - started}


def executions(measure: Callable[[], float], repeat: int) -> list[float]:
    measure()  # warm
    return [measure() for _ in range(repeat)]


def spread(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (f"{statistics.median(ordered):.2f} ms (min {ordered[0]:.2f}, p90 {p90:.2f}, "
            f"max {ordered[-1]:.2f})")  # fmt: skip


def run(args) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from geo_civic.social.activities import Event, record
    from geo_civic.social.fan_out import tell_followers
    from geo_civic.social.feed import FEED_SQL, feed, feed_params

    with connection.cursor() as cursor:
        made = generate(cursor, args.activities, args.followers)
    resident = get_user_model().objects.get(pk=made["resident"])
    first_page = feed(resident)
    assert len(first_page.items) == 20, first_page
    cursor_5 = first_page.next_cursor
    for _ in range(3):
        cursor_5 = feed(resident, cursor_5).next_cursor

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL)
            cursor.fetchall()

    def server(sql: str, params) -> Callable[[], float]:
        """The database's own execution time (EXPLAIN ANALYZE, TIMING OFF): without the round
        trip and the wait for a loaded machine to schedule the client and the backend."""

        def measure() -> float:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
                plan = [row[0] for row in cursor.fetchall()]
            return float(plan[-1].split(":")[1].split()[0])

        return measure

    results = {
        "bare indexed query, one subject (reference)": timed(bare, args.repeat),
        "feed, first page (200 subjects)": timed(lambda: feed(resident), args.repeat),
        "feed, page 5 (cursor)": timed(lambda: feed(resident, cursor_5), args.repeat),
        "bare indexed query, server execution time": executions(
            server(BARE_SQL, []), args.repeat),
        "feed, first page, server execution time": executions(
            server(FEED_SQL, feed_params(resident.pk)), args.repeat),
    }
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + FEED_SQL, feed_params(resident.pk))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    activity = record(Event(verb="news", key="bench:fan-out", title="Fan-out", url="/",
                            also=[("commune", 100000)]), fan_out=False)  # fmt: skip
    start = time.perf_counter()
    told = tell_followers(activity.pk)
    fan_out = time.perf_counter() - start
    assert told == args.followers, told
    return section(args, made, results, plan, told, fan_out)


def section(args, made, results, plan, told, fan_out) -> str:
    reference = statistics.median(next(iter(results.values())))
    lines = [
        "## Personal feed and fan-out (bench/feed.py)",
        "",
        f"{args.activities:,} activities, each under two subjects (one of {ACTORS:,} actors, "
        f"one of {COMMUNES} communes), generated set-wise in SQL in {made['seconds']:.0f} s on a "
        "scratch database; a resident follows 200 of them (150 actors, 50 communes), 2,000 "
        f"others follow 20 each. Warm, {args.repeat} runs each, median (min, p90, max), in one "
        "run on the shared 2-core machine (loaded by other sessions: absolute times are noisy, "
        "the ratio to the reference of the same run less so; the server execution times, "
        "measured by PostgreSQL itself, leave out the round trip and most of the waiting for "
        "a CPU). Target: first page ≤ 20 ms.",
        "",
        "| read | time | ratio to the bare query of its kind |",
        "|---|---|---|",
    ]
    server_reference = statistics.median(results["bare indexed query, server execution time"])
    for name, times in results.items():
        base = server_reference if "server" in name else reference
        lines.append(f"| {name} | {spread(times)} | "
                     f"{statistics.median(times) / base:.1f} |")  # fmt: skip
    lines += [
        "",
        f"Fan-out of one news item to {told:,} followers of its commune (`tell_followers`, the "
        f"job's body: one query for the followers, one INSERT … ON CONFLICT for the "
        f"notifications): {fan_out * 1000:.0f} ms (target ≤ 5 s through the worker).",
        "",
        "The feed's plan (`EXPLAIN ANALYZE`): one index scan of `activity_subject_feed_idx` per "
        "followed subject, at most a page each, then a sort of those few rows:",
        "",
        "```",
        *[line for line in plan.splitlines() if line.strip()][:40],
        "```",
        "",
        f"Reproduce: `.venv/bin/python bench/feed.py --activities {args.activities} "
        f"--repeat {args.repeat} --followers {args.followers}`",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with scratch_database("feed_bench"):
        text = run(args)
    print(text)
    if not args.no_write:
        update_benchmarks(text)


if __name__ == "__main__":
    main()
