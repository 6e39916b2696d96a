"""Fan-out: one news item to 10,000 followers' notifications, through a real worker.

    .venv/bin/python bench/fanout.py [--followers 10000] [--repeat 5]

In a throwaway database, makes ``--followers`` accounts set-wise, starts one
``manage.py procrastinate worker`` and, each round, defers ``notifications.notify_users`` for all
of them with a new key, timing from the defer until the job is done (the in-app rows are
written; the e-mail/push job it queues is timed separately, nobody wanting e-mail at once).
Beside it, in the same run, the bare ``INSERT … SELECT`` of the same rows (the floor).
Writes its section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on the path and its markdown.py hide the package.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from bench.scratch_db import scratch_database  # noqa: E402

TITLE = "## Notification fan-out (bench/fanout.py)"


def make_followers(count: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                                   email, is_staff, is_active, date_joined)
            SELECT '!', false, 'follower' || i, '', '', 'follower' || i || '@example.org',
                   false, true, now()
              FROM generate_series(1, %s) AS i
            RETURNING id
            """,
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def wait_for(job_id: int, timeout: float = 120) -> float:
    """Poll the job's status every 5 ms; the time it became done."""
    from django.db import connection

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
            (status,) = cursor.fetchone()
        if status == "succeeded":
            return time.perf_counter()
        if status == "failed":
            raise SystemExit(f"job {job_id} failed")
        time.sleep(0.005)
    raise SystemExit(f"job {job_id} not done after {timeout} s")


def bare_insert(ids: list[int], key: str) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO notifications_notification (user_id, kind, title, url, body, key,
                                                    created_at)
            SELECT u, 'news', 'Nouvelle actualité', '/actualites/1', '', %s, now()
              FROM unnest(%s::bigint[]) AS u
            """,
            [key, ids],
        )
    return time.perf_counter() - started


def start_worker() -> subprocess.Popen:
    from django.db import connection

    from geo_civic.operations import embedded_db

    parts = urlsplit(os.environ.get("DATABASE_URL") or embedded_db.database_url())
    database = parts._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "notifications"],
        cwd=REPO, env={**os.environ, "DATABASE_URL": database},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline:  # ready once it has registered (heartbeat row)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procrastinate_workers")
            if cursor.fetchone()[0]:
                return worker
        time.sleep(0.1)
    worker.kill()
    raise SystemExit("the worker did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with scratch_database("fanout"):
        from geo_civic.notifications.tasks import notify_users

        ids = make_followers(args.followers)
        worker = start_worker()
        through_worker, bare, follow_up = [], [], []
        try:
            for round_ in range(args.repeat):
                started = time.perf_counter()
                job_id = notify_users.defer(
                    user_ids=ids, kind="news", title="Nouvelle actualité",
                    url=f"/actualites/{round_}", key=f"activity:{round_}",
                )  # fmt: skip
                through_worker.append(wait_for(job_id) - started)
                from procrastinate.contrib.django.models import ProcrastinateJob

                deliver = ProcrastinateJob.objects.get(
                    task_name="notifications.deliver", args__key=f"activity:{round_}"
                )
                deliver_started = time.perf_counter()
                follow_up.append(wait_for(deliver.id) - deliver_started)
                bare.append(bare_insert(ids, f"bare:{round_}"))
        finally:
            worker.terminate()
            worker.wait(30)
    load = os.getloadavg()[0]
    median = statistics.median
    rows = [
        ("bare `INSERT … SELECT unnest(ids)` (reference)", bare),
        ("`notify_users` job through a real worker, defer → done", through_worker),
    ]
    table = "\n".join(
        f"| {name} | {median(v):.3f} | {min(v):.3f} | {max(v):.3f} | "
        f"{median(v) / median(bare):.1f} |"
        for name, v in rows
    )
    section = f"""{TITLE}

One news item to {args.followers:,} followers' in-app notifications, {args.repeat} rounds, each
with a new key, through one `manage.py procrastinate worker` started beforehand: from `defer`
until the job is `succeeded` (poll every 5 ms), beside the bare `INSERT … SELECT` of the same
rows in the same run. Target: ≤ 5 s.

| what | median s | min s | max s | ratio to reference |
|---|---|---|---|---|
{table}

The `deliver` job it queues (e-mail at once and push, for those who chose them; here nobody)
then took {median(follow_up):.3f} s median. `notify()` is one `INSERT … SELECT FROM unnest(…)
ON CONFLICT (user_id, key) DO NOTHING RETURNING id` plus one job row: no per-follower Python.
2 shared cores, load average {load:.1f} from other engineers' work during the run.

Reproduce: `.venv/bin/python bench/fanout.py --followers {args.followers} --repeat {args.repeat}`
"""  # noqa: S608 (Markdown that names SQL, not a query)
    update_benchmarks(section)
    print(section)


if __name__ == "__main__":
    main()
