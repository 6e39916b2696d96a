"""``python manage.py import_communes SOURCE``: load commune boundaries (see importers.communes)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from importers import datasets
from importers.communes import import_communes
from importers.errors import ImportFailed


class Command(BaseCommand):
    help = (
        "Load commune boundaries from a file GDAL reads, or from a source defined in "
        "data/communes/ (e.g. `france-geojson --departement 974`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a file path, or the name of a source in data/communes/")
        parser.add_argument("--departement", help="which dataset of a named source to load")
        parser.add_argument("--code-field", help="field holding the commune code (default: code)")
        parser.add_argument("--name-field", help="field holding the commune name (default: nom)")
        parser.add_argument("--country", default="FR", help="ISO country code (default: FR)")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        try:
            path, fields, source_label = self._resolve(options)
            summary = import_communes(
                path,
                code_field=options["code_field"] or fields.get("code", "code"),
                name_field=options["name_field"] or fields.get("name", "nom"),
                country=options["country"].upper(),
                source=source_label,
                dry_run=options["dry_run"],
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"database error, nothing was imported: {reason}") from exc
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        if summary.actors_moved:
            self.stdout.write(f"{summary.actors_moved} actors moved to another commune")
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(prefix + summary.line())

    def _resolve(self, options) -> tuple[Path, dict, str]:
        candidate = Path(options["source"])
        if candidate.exists() or "/" in options["source"] or candidate.suffix:
            return candidate, {}, str(candidate)
        source = datasets.load_source("communes", options["source"])
        if not options["departement"]:
            known = ", ".join(sorted(source.datasets))
            raise ImportFailed(f"source {source.name!r} needs --departement (one of: {known})")
        dataset = source.dataset(options["departement"])
        return datasets.fetch(dataset), source.fields, f"{source.name}/{dataset.key}"
