"""``python manage.py import_actors PATH --format …``: load a directory of actors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from geo_civic.actors.models import Actor
from geo_civic.operations import database_errors
from geo_civic.sources import catalogue
from importers import datasets
from importers.actor_formats import FORMATS, import_actor_file
from importers.actor_mapping import FieldMapping
from importers.errors import REPORTED


class Command(BaseCommand):
    help = (
        "Load actors from a directory export (GoGoCarto or Transiscope JSON, CSV, JSON records, "
        "GeoJSON or any GDAL vector file), or from a source in data/actors/."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file, or the name of a source in data/actors/")
        parser.add_argument("--format", choices=FORMATS, help="default: gogocarto, or the source's")
        parser.add_argument("--source-key", help="provenance key (default: the file or source)")
        parser.add_argument("--mapping", type=Path, help="TOML file: [fields] name = 'column' …")
        for name in ("id", "name", "lat", "lon", "address"):
            parser.add_argument(f"--{name}-field", help=f"column holding the {name}")
        parser.add_argument("--kind", choices=Actor.Kind.values, default=Actor.Kind.ORGANISATION)
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        try:
            path, source_key, fmt, fields = self._resolve(options["path"])
            mapping = FieldMapping.from_file(
                options["mapping"],
                fields,
                **{n: options[f"{n}_field"] for n in ("id", "name", "lat", "lon", "address")},
            )
            summary = import_actor_file(
                path,
                options["format"] or fmt,
                source_key=options["source_key"] or source_key,
                kind=options["kind"],
                mapping=mapping,
                dry_run=options["dry_run"],
            )
        except REPORTED as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            reason = database_errors.reason(exc)
            raise CommandError(f"database error, nothing was imported: {reason}") from exc
        for line in summary.report():
            self.stderr.write(f"warning: {line}")
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(prefix + summary.line())

    def _resolve(self, name: str) -> tuple[Path, str, str, dict[str, str]]:
        candidate = Path(name)
        if candidate.exists() or "/" in name or candidate.suffix:
            return candidate, candidate.stem, "gogocarto", {}
        source = catalogue.load_source("actors", name)
        path = datasets.fetch(source.dataset("all"))
        return path, source.name, source.format or "gogocarto", dict(source.fields)
