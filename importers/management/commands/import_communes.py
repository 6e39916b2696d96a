"""``python manage.py import_communes SOURCE``: load commune boundaries (see importers.communes)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from geo_civic.operations import database_errors
from geo_civic.sources import catalogue
from importers import datasets
from importers.communes import import_communes
from importers.errors import REPORTED, ImportFailed


class Command(BaseCommand):
    help = (
        "Load commune boundaries from a file or folder GDAL reads, a URL, or a source defined in "
        "data/communes/ (e.g. `france-geojson --departement 974`, `geo-api --departement 974`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a file, folder, URL, or a source in data/communes/")
        parser.add_argument("--departement", help="which dataset of a named source to load")
        parser.add_argument(
            "--source",
            dest="schema",
            default="auto",
            help="field layout: a source in data/communes/ or `auto` to recognise it (default)",
        )
        parser.add_argument("--code-field", help="field holding the commune code")
        parser.add_argument("--name-field", help="field holding the commune name")
        parser.add_argument("--population-field", help="field holding the population")
        parser.add_argument("--layer", help="layer to read (GeoPackage, folder, zip)")
        parser.add_argument("--srid", type=int, help="EPSG code of the file's coordinates")
        parser.add_argument("--encoding", help="encoding of a DBF without .cpg (e.g. ISO-8859-1)")
        parser.add_argument("--country", default="FR", help="ISO country code (default: FR)")
        parser.add_argument(
            "--complete-for",
            help="territory the file is complete for, whose absent communes are retired: a "
            "country (FR), départements (974,976) or `none` (default: its French départements)",
        )
        parser.add_argument(
            "--valid-from",
            type=datetime.date.fromisoformat,
            help="date (YYYY-MM-DD) the boundaries take effect; retired communes end then",
        )
        parser.add_argument(
            "--force", action="store_true", help="retire more than 20%% of a territory"
        )
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, **options):
        try:
            path, fields, label, schema = self._resolve(options)
            summary = import_communes(
                path,
                code_field=options["code_field"],
                name_field=options["name_field"],
                population_field=options["population_field"],
                schema=schema,
                layer=options["layer"],
                srid=options["srid"],
                encoding=options["encoding"],
                country=options["country"].upper(),
                source=label,
                complete_for=options["complete_for"],
                valid_from=options["valid_from"],
                force=options["force"],
                dry_run=options["dry_run"],
                progress=self._progress if self.stderr.isatty() else None,
            )
        except REPORTED as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            reason = database_errors.reason(exc)
            raise CommandError(f"database error, nothing was imported: {reason}") from exc
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        if summary.actors_moved:
            self.stdout.write(f"{summary.actors_moved} actors moved to another commune")
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(prefix + summary.line())

    def _progress(self, done: int, total: int) -> None:
        """A one-line progress bar on a terminal (stderr, so the summary stays parseable)."""
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "." * (width - filled)
        self.stderr.write(f"\rreading [{bar}] {done}/{total}", ending="\n" if done >= total else "")
        self.stderr.flush()

    def _resolve(self, options) -> tuple[Path, dict, str, str]:
        """A local path for SOURCE, its source label and the schema to read it with."""
        given = options["source"]
        if given.startswith(("http://", "https://")):
            return datasets.fetch(catalogue.url_dataset("communes", given)), {}, given, "auto"
        candidate = Path(given)
        if candidate.exists() or "/" in given or candidate.suffix:
            return candidate, {}, str(candidate), options["schema"]
        source = catalogue.load_source("communes", given)
        if not source.datasets and not source.open_datasets:
            raise ImportFailed(
                f"source {source.name!r} is not downloaded by GeoCivic: get its files from the "
                f"publisher (see data/communes/{source.name}.toml), then run "
                f"`import_communes PATH --source {source.name}`"
            )
        if not options["departement"]:
            known = ", ".join(sorted(source.datasets)) or "any département code"
            raise ImportFailed(f"source {source.name!r} needs --departement (one of: {known})")
        dataset = source.dataset(options["departement"])
        schema = source.name if options["schema"] == "auto" else options["schema"]
        return datasets.fetch(dataset), source.fields, f"{source.name}/{dataset.key}", schema
