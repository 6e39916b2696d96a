#!/usr/bin/env python
"""Django's command-line utility for GeoCivic.

With ``DATABASE_URL`` unset, the embedded PostGIS is started first (it keeps running; stop it
with ``make db-stop``), so every command works straight after ``make install``.
"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")
    if not os.environ.get("DATABASE_URL"):
        from geo_civic.operations import embedded_db

        try:
            embedded_db.ensure_running()
        except embedded_db.EmbeddedDatabaseError as exc:
            sys.exit(f"error: {exc}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
