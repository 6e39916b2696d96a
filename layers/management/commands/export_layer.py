"""``manage.py export_layer LAYER --format F -o FILE [filters]``: the API's exports, offline."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo_civic.web.params import ParameterError
from layers.exports import FORMAT_OPTIONS, FORMATS, ExportError, export_to_file
from layers.filters import FILTERS, select
from layers.registry import LAYERS


class Command(BaseCommand):
    help = "Export a layer, filtered like the API, to a file in any format GeoCivic serves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("layer", choices=sorted(LAYERS))
        parser.add_argument("--format", "-f", dest="fmt", required=True, choices=list(FORMATS))
        parser.add_argument("-o", "--output", required=True, type=Path)
        for name in FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="VALUE")
        parser.add_argument("--geometry", help="CSV only: lonlat (default), wkt or none")
        parser.add_argument("--separator", help="CSV only: comma (default), semicolon or tab")

    def handle(self, *args, layer: str, fmt: str, output: Path, **options) -> None:
        params = {name: options[name] for name in FILTERS if options.get(name) is not None}
        format_options = {
            name: options[name]
            for name in FORMAT_OPTIONS.get(fmt, ())
            if options.get(name) is not None
        }
        for name in ("geometry", "separator"):
            if options.get(name) is not None and name not in format_options:
                raise CommandError(f"--{name} applies to --format csv only")
        try:
            selection = select(LAYERS[layer], params)
            export_to_file(selection, fmt, output, format_options)
        except (ParameterError, ExportError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{layer} → {output} ({fmt})")
