"""What the passwords cost: a new connection to the embedded cluster, SCRAM against trust.

    .venv/bin/python bench/db_connect.py [--connections 200] [--repeat 5]

Makes two throwaway clusters under /tmp: one as earlier versions did (``trust``, the reference)
and one as ``embedded_db`` does now (the app role, SCRAM with its passfile). Each round opens
``--connections`` new connections to each, in turns, and runs one trivial query; the median of
``--repeat`` rounds is written to BENCHMARKS.md. A persistent connection (``CONN_MAX_AGE``, as
``DATABASE_URL`` deployments have) pays this once; the embedded settings pay it per request.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from geo_civic.operations import embedded_db  # noqa: E402


def throwaway() -> embedded_db.Cluster:
    return embedded_db.Cluster(Path(tempfile.mkdtemp(prefix="gc-bench-connect-", dir="/tmp")))


def trusting_cluster(c: embedded_db.Cluster) -> dict:
    """initdb as GeoCivic did before: superuser ``geocivic``, ``--auth=trust``."""
    embedded_db._prepare_dirs(c)
    initdb = [str(embedded_db.find_pg_bindir() / "initdb"), "-D", str(c.data_dir)]
    initdb += ["--username=geocivic", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
    if os.geteuid() == 0:
        initdb = ["runuser", "-u", "postgres", "--", *initdb]
    subprocess.run(initdb, capture_output=True, check=True)
    embedded_db._start(c, embedded_db.find_pg_bindir())
    return {"host": str(c.socket_dir), "port": embedded_db.PORT, "user": "geocivic"}


def per_connection_ms(conninfo: dict, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        with psycopg.connect(**conninfo) as conn:
            conn.execute("SELECT 1").fetchone()
    return (time.perf_counter() - started) / count * 1000




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    reference, ours = throwaway(), throwaway()
    try:
        trust = {**trusting_cluster(reference), "dbname": "postgres"}
        embedded_db.ensure_running(ours)
        scram = embedded_db.app_conninfo(ours, dbname="postgres")
        rounds = {"trust": [], "scram": []}
        for _ in range(args.repeat):
            rounds["trust"].append(per_connection_ms(trust, args.connections))
            rounds["scram"].append(per_connection_ms(scram, args.connections))
    finally:
        for c in (reference, ours):
            embedded_db.stop(c, mode="immediate")
            shutil.rmtree(c.base, ignore_errors=True)
    trust_ms, scram_ms = (statistics.median(rounds[k]) for k in ("trust", "scram"))
    reproduce = f"--connections {args.connections} --repeat {args.repeat}"
    load = os.getloadavg()[0]
    section = f"""## Database connections (bench/db_connect.py)

A new connection and one trivial query over the embedded cluster's Unix socket, median of
{args.repeat} rounds of {args.connections}: as the app role with its SCRAM password (now)
against the `trust` cluster earlier versions made (reference), in the same run.

| authentication | ms per new connection | ratio to reference |
|---|---|---|
| trust, superuser `geocivic` (reference) | {trust_ms:.2f} | 1.00 |
| SCRAM-SHA-256, app role `geocivic` | {scram_ms:.2f} | {scram_ms / trust_ms:.2f} |

The difference is paid once per connection: `DATABASE_URL` deployments keep connections for
60 s (`CONN_MAX_AGE`); the embedded settings (development, tests) open one per request.
2 shared cores, load average {load:.0f} from other engineers' work during the run.

Reproduce: `.venv/bin/python bench/db_connect.py {reproduce}`
"""
    update_benchmarks(section)
    print(section)
    print(f"ratio: {scram_ms / trust_ms:.2f}")


if __name__ == "__main__":
    main()
