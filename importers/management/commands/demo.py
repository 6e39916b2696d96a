"""``python manage.py demo``: migrate, load La Réunion's communes and initiatives, serve the map.

Data already loaded is kept, so a second run is serving in seconds. Without network and without
a data mirror the map is served empty, after one line that says why.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from geo_civic.actors.models import Actor
from geo_civic.operations import embedded_db
from geo_civic.participation.example import load_example_consultation
from geo_civic.sources import catalogue
from geo_civic.territories.models import Commune
from importers import datasets, options
from importers.actor_formats import import_actor_file
from importers.cog import import_cog
from importers.communes import import_communes
from importers.errors import REPORTED

DEMO_DEPARTEMENT = "974"
# Initiatives of La Réunion: the Transiscope/Alternatiba directory (local demo only, licence not
# stated) and the ANCT's digital-inclusion structures (Licence Ouverte).
DEMO_ACTORS = ("gogocarto-alternatives", "anct-conseillers-numeriques")


class Command(BaseCommand):
    help = "Set up the demo data (La Réunion) and serve the map."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")

    def handle(self, *args, **options):
        embedded = not os.environ.get("DATABASE_URL")
        worker = None
        if embedded:
            embedded_db.ensure_running()
        try:
            call_command("migrate", interactive=False, verbosity=0)
            self.load_communes()
            self.load_reference_data()
            for name in DEMO_ACTORS:
                self.load_actors(name)
            example = load_example_consultation()
            if example:
                self.stdout.write(example)
            if not options["no_serve"]:
                port = os.environ.get("PORT", "8000")
                worker = self.start_worker()
                self.stdout.write(f"GeoCivic is serving on http://127.0.0.1:{port}/ (Ctrl-C stops)")
                call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            # Ctrl-C stops everything: the job worker, the embedded database.
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
            if embedded and not options["no_serve"]:
                embedded_db.stop()
                self.stdout.write("embedded PostGIS stopped")

    def start_worker(self) -> subprocess.Popen:
        """The job worker (procrastinate) beside the server: due votes close by themselves."""
        self.stdout.write("job worker started (manage.py procrastinate worker)")
        return subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"], cwd=settings.BASE_DIR
        )

    def load_communes(self) -> None:
        if Commune.objects.filter(departement_code=DEMO_DEPARTEMENT).exists():
            return
        try:
            source = catalogue.load_source("communes", "france-geojson")
            path = datasets.fetch(source.dataset(DEMO_DEPARTEMENT))
            given = {"code_field": source.fields["code"], "name_field": source.fields["name"]}
            summary = import_communes(
                path,
                **options.communes_arguments(options.from_command(options.COMMUNES, given)),
                source=f"{source.name}/{DEMO_DEPARTEMENT}",
            )
        except REPORTED as exc:
            self.stderr.write(f"no commune data (no network and no GEO_CIVIC_DATA_MIRROR): {exc}")
            return
        self.stdout.write(f"communes of {DEMO_DEPARTEMENT}: {summary.line()}")

    def load_reference_data(self) -> None:
        """Populations, postal codes, EPCI from the official COG (shipped by npm, no network)."""
        if not Commune.objects.filter(population__isnull=True).exists():
            return
        try:
            summary = import_cog()
        except REPORTED as exc:
            self.stderr.write(f"no COG reference data: {exc}")
            return
        self.stdout.write(f"COG reference data: {summary.line()}")

    def load_actors(self, name: str) -> None:
        if Actor.objects.filter(source_key=name).exists() or not Commune.objects.exists():
            return
        try:
            source = catalogue.load_source("actors", name)
            summary = import_actor_file(
                datasets.fetch(source.dataset("all")),
                source.format or "gogocarto",
                **options.actors_arguments(options.from_command(options.ACTORS, {}), source.fields),
                source_key=source.name,
                # The demo works offline: addresses resolve to their commune from our database.
                geocoders=["offline"],
            )
        except REPORTED as exc:
            self.stderr.write(f"no demo initiatives from {name}: {exc}")
            return
        self.stdout.write(f"initiatives from {name}: {summary.line()}")
