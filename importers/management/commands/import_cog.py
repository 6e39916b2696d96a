"""``python manage.py import_cog [PATH]``: load the official COG reference data (importers.cog)."""

from django.core.management.base import BaseCommand, CommandError

from importers.cog import PACKAGE, import_cog
from importers.errors import REPORTED


class Command(BaseCommand):
    help = (
        f"Load régions, départements, EPCI, populations and postal codes from the COG JSON of "
        f"the npm package {PACKAGE} (default: its copy in node_modules)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help=f"data folder of {PACKAGE}")

    def handle(self, *args, **options):
        try:
            summary = import_cog(options["path"])
        except REPORTED as exc:
            raise CommandError(str(exc)) from exc
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(summary.line())
