"""``python manage.py import_actors PATH --format gogocarto``: load a directory of actors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from geo_civic.actors.models import Actor
from importers import datasets
from importers.actors import upsert_actors
from importers.errors import ImportFailed
from importers.gogocarto import read_gogocarto

READERS = {"gogocarto": read_gogocarto}


class Command(BaseCommand):
    help = "Load actors from a directory export (GoGoCarto JSON-LD), or a source in data/actors/."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file, or the name of a source in data/actors/")
        parser.add_argument("--format", choices=sorted(READERS), default="gogocarto")
        parser.add_argument("--source-key", help="provenance key (default: the file or source)")
        parser.add_argument("--kind", choices=Actor.Kind.values, default=Actor.Kind.ORGANISATION)
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        try:
            path, source_key = self._resolve(options["path"])
            rows, warnings = READERS[options["format"]](path, kind=options["kind"])
            summary = upsert_actors(
                rows,
                source_key=options["source_key"] or source_key,
                warnings=warnings,
                dry_run=options["dry_run"],
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"database error, nothing was imported: {reason}") from exc
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(prefix + summary.line())

    def _resolve(self, name: str) -> tuple[Path, str]:
        candidate = Path(name)
        if candidate.exists() or "/" in name or candidate.suffix:
            return candidate, candidate.stem
        source = datasets.load_source("actors", name)
        return datasets.fetch(source.dataset("all")), source.name
