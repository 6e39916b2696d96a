"""``python manage.py import_communes SOURCE``: load commune boundaries (see importers.communes)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from geo_civic.operations import database_errors
from geo_civic.sources import catalogue
from geo_civic.web.params import ParameterError
from importers import datasets, options
from importers.communes import import_communes
from importers.errors import REPORTED, ImportFailed
from importers.options import communes_arguments


class Command(BaseCommand):
    help = (
        "Load commune boundaries from a file or folder GDAL reads, a URL, or a source defined in "
        "data/communes/ (e.g. `france-geojson --departement 974`, `geo-api --departement 974`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", metavar="SOURCE", help="a file, folder, URL, or a source in data/communes/"
        )
        parser.add_argument("--departement", help="which dataset of a named source to load")
        options.add_arguments(parser, options.COMMUNES)

    def handle(self, *args, **given):
        try:
            opts = options.from_command(options.COMMUNES, given)
            path, label, schema = self._resolve(given["path"], given["departement"], opts)
            summary = import_communes(
                path,
                **communes_arguments(opts),
                schema=schema,
                source=label,
                progress=self._progress if self.stderr.isatty() else None,
            )
        except (*REPORTED, ParameterError) as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            reason = database_errors.reason(exc)
            raise CommandError(f"database error, nothing was imported: {reason}") from exc
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        if summary.actors_moved:
            self.stdout.write(f"{summary.actors_moved} actors moved to another commune")
        prefix = "dry run: " if opts["dry_run"] else ""
        self.stdout.write(prefix + summary.line())

    def _progress(self, done: int, total: int) -> None:
        """A one-line progress bar on a terminal (stderr, so the summary stays parseable)."""
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "." * (width - filled)
        self.stderr.write(f"\rreading [{bar}] {done}/{total}", ending="\n" if done >= total else "")
        self.stderr.flush()

    def _resolve(self, given: str, departement: str | None, opts: dict) -> tuple[Path, str, str]:
        """A local path for SOURCE, its source label and the schema to read it with."""
        if given.startswith(("http://", "https://")):
            return datasets.fetch(catalogue.url_dataset("communes", given)), given, "auto"
        candidate = Path(given)
        if candidate.exists() or "/" in given or candidate.suffix:
            return candidate, str(candidate), opts["source"]
        source = catalogue.load_source("communes", given)
        if not source.datasets and not source.open_datasets:
            raise ImportFailed(
                f"source {source.name!r} is not downloaded by GeoCivic: get its files from the "
                f"publisher (see data/communes/{source.name}.toml), then run "
                f"`import_communes PATH --source {source.name}`"
            )
        if not departement:
            known = ", ".join(sorted(source.datasets)) or "any département code"
            raise ImportFailed(f"source {source.name!r} needs --departement (one of: {known})")
        dataset = source.dataset(departement)
        schema = source.name if opts["source"] == "auto" else opts["source"]
        return datasets.fetch(dataset), f"{source.name}/{dataset.key}", schema
