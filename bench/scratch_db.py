"""A throwaway database for a benchmark: created on entry, dropped on exit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def scratch_database(suffix: str) -> Iterator[None]:
    """Django set up on ``<db>_<suffix>``, on the embedded PostGIS unless DATABASE_URL is set."""
    import django

    from geo_civic.operations import embedded_db

    started_db = not os.environ.get("DATABASE_URL") and embedded_db.ensure_running()
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
        if started_db:
            embedded_db.stop()
