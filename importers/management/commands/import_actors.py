"""``python manage.py import_actors PATH --format …``: load a directory of actors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from geo_civic.operations import database_errors
from geo_civic.sources import catalogue
from geo_civic.web.params import ParameterError
from importers import datasets, options
from importers.actor_formats import import_actor_file
from importers.errors import REPORTED


class Command(BaseCommand):
    help = (
        "Load actors from a directory export (GoGoCarto or Transiscope JSON, CSV, JSON records, "
        "GeoJSON or any GDAL vector file), or from a source in data/actors/."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file, or the name of a source in data/actors/")
        options.add_arguments(parser, options.ACTORS)

    def handle(self, *args, **given):
        try:
            opts = options.from_command(options.ACTORS, given)
            path, source_key, fmt, fields = self._resolve(given["path"])
            summary = import_actor_file(
                path,
                opts["format"] or fmt,
                **options.actors_arguments(opts, fields),
                source_key=opts["source_key"] or source_key,
            )
        except (*REPORTED, ParameterError) as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            reason = database_errors.reason(exc)
            raise CommandError(f"database error, nothing was imported: {reason}") from exc
        for line in summary.report():
            self.stderr.write(f"warning: {line}")
        prefix = "dry run: " if opts["dry_run"] else ""
        self.stdout.write(prefix + summary.line())

    def _resolve(self, name: str) -> tuple[Path, str, str, dict[str, str]]:
        candidate = Path(name)
        if candidate.exists() or "/" in name or candidate.suffix:
            return candidate, candidate.stem, "gogocarto", {}
        source = catalogue.load_source("actors", name)
        path = datasets.fetch(source.dataset("all"))
        return path, source.name, source.format or "gogocarto", dict(source.fields)
