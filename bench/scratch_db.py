"""The database a benchmark runs on: the embedded PostGIS started and stopped in one place, and
a throwaway database created on entry, dropped on exit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


def start_database() -> bool:
    """Start the embedded PostGIS unless DATABASE_URL names another; True when this started it
    (for benchmarks that serve the data to other processes and leave it running)."""
    from geo_civic.operations import embedded_db

    return not os.environ.get("DATABASE_URL") and embedded_db.ensure_running()


@contextmanager
def running_database() -> Iterator[None]:
    """The embedded PostGIS running for the block, stopped after it if the block started it."""
    from geo_civic.operations import embedded_db

    started = start_database()
    try:
        yield
    finally:
        if started:
            embedded_db.stop()


@contextmanager
def scratch_database(suffix: str) -> Iterator[None]:
    """Django set up on ``<db>_<suffix>``, on the embedded PostGIS unless DATABASE_URL is set."""
    import django

    with running_database():
        django.setup()
        from django.conf import settings
        from django.db import connection

        db = settings.DATABASES["default"]
        db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_{suffix}"
        original = db["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
