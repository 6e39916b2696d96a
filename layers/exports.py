"""Exports in every GIS format, all written by GDAL from the same filtered query.

PostGIS streams the selected rows as GeoJSON into a temporary file, with each feature's source
and licence; ``ogr2ogr`` converts it to the asked format, and the format's own field carries the
licence notice too where it has one (GeoPackage description, KML document, a sidecar in the
Shapefile zip). No format is written by hand.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.db import connections
from django.db.models import F

from layers.export_errors import ExportError
from layers.filters import Selection
from layers.geojson import FETCH_SIZE, feature_sql
from layers.maps import write_map
from layers.provenance import licence_by_source, notice, sources_of

CSV_SEPARATORS = {"comma": "COMMA", "semicolon": "SEMICOLON", "tab": "TAB"}
CSV_GEOMETRIES = ("lonlat", "wkt", "none")
# The formats' options as documented (OpenAPI), from the values the writers check.
OPTION_DOCS: dict[str, tuple[str, dict]] = {
    "geometry": (
        "CSV only: lon/lat columns (lonlat, the default), WKT text (wkt) or none",
        {"type": "string", "enum": list(CSV_GEOMETRIES)},
    ),
    "separator": (
        "CSV only: comma (the default), semicolon (French spreadsheets) or tab",
        {"type": "string", "enum": list(CSV_SEPARATORS)},
    ),
}
OGR2OGR_TIMEOUT_S = 600

def write_geojson(
    selection: Selection, target: Path, *, lon_lat: bool = False, spreadsheet: bool = False
) -> int:
    """Write the selected page as GeoJSON with per-feature source and licence; the count.

    ``spreadsheet``: text that would start a formula gets a leading ``'`` (the CSV export).
    """
    layer = selection.layer
    page = selection.page()
    rows = selection.page_rows().order_by()
    raws = list(rows.values_list(layer.source_field, flat=True).distinct())
    licences = licence_by_source(layer.source_kind, raws)
    rows = layer.published(page).annotate(_source=F(layer.source_field))
    sql, params = feature_sql(
        layer, rows, licences=licences, lon_lat=lon_lat, spreadsheet=spreadsheet
    )
    count = 0
    with target.open("wb") as out, connections[page.db].chunked_cursor() as cursor:
        out.write(b'{"type":"FeatureCollection","features":[\n')
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH_SIZE):
            for (feature,) in batch:
                out.write((b",\n" if count else b"") + feature.encode())
                count += 1
        out.write(b"\n]}\n")
    return count


@dataclass
class Export:
    """A finished export, its file still open after its folder is gone."""

    file: BinaryIO
    filename: str
    content_type: str

    def open(self) -> BinaryIO:
        return self.file


def export(selection: Selection, fmt: str, options: dict[str, str] | None = None) -> Export:
    """Export the selection in ``fmt``; the file is deleted once the returned handle is closed."""
    with tempfile.TemporaryDirectory(prefix="geocivic-export-") as folder:
        path = export_to_folder(selection, fmt, options or {}, Path(folder))
        handle = path.open("rb")  # stays readable after the folder is removed
    return Export(handle, f"{selection.layer.name}.{FORMATS[fmt].extension}", _type(fmt))


def export_to_file(
    selection: Selection, fmt: str, target: Path, options: dict[str, str] | None = None
) -> Path:
    """Export the selection in ``fmt`` to ``target``, replacing it only once complete."""
    with tempfile.TemporaryDirectory(prefix="geocivic-export-") as folder:
        path = export_to_folder(selection, fmt, options or {}, Path(folder))
        shutil.move(str(path), target)
    return target


def _type(fmt: str) -> str:
    return FORMATS[fmt].content_type


def export_to_folder(selection: Selection, fmt: str, options: dict[str, str], folder: Path) -> Path:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    unknown = set(options) - set(FORMATS[fmt].options)
    if unknown:
        raise ExportError(f"unknown option {', '.join(sorted(unknown))} for format {fmt}")
    return FORMATS[fmt].write(Job(selection, options, folder))


@dataclass(frozen=True)
class Job:
    """One export being written: the rows, the format's options, a folder of its own."""

    selection: Selection
    options: dict[str, str]
    folder: Path

    @property
    def name(self) -> str:
        """The layer's name as a file or table name."""
        return self.selection.layer.name.replace("-", "_")

    def notice(self) -> str:
        return notice(self.selection.layer.title, sources_of(self.selection))

    def features(self, *, lon_lat: bool = False, spreadsheet: bool = False) -> tuple[Path, list]:
        """The selection as GeoJSON with source and licence, and the ogr2ogr arguments that
        keep the layer's column order (GDAL learns fields from features: none when empty)."""
        source = self.folder / "selection.geojson"
        count = write_geojson(self.selection, source, lon_lat=lon_lat, spreadsheet=spreadsheet)
        return source, _field_order(self.selection.layer, lon_lat) if count else []

    def converted(self, driver: str, extension: str, extra: list[str], **features) -> Path:
        """The features converted by ogr2ogr into one file of the layer's name."""
        source, order = self.features(**features)
        target = self.folder / f"{self.name}.{extension}"
        layer = self.selection.layer
        ogr2ogr(source, target, driver, ["-nln", self.name, "-nlt", layer.geometry_type,
                                         *order, *extra])  # fmt: skip
        return target


def _geojson(job: Job) -> Path:
    return job.features()[0]


def _map(job: Job) -> Path:
    target = job.folder / f"{job.selection.layer.name}.html"
    write_map(job.selection, target)
    return target


def _csv(job: Job) -> Path:
    geometry = job.options.get("geometry", "lonlat")
    if geometry not in CSV_GEOMETRIES:
        raise ExportError(f"geometry must be {', '.join(CSV_GEOMETRIES[:-1])} or none")
    separator = job.options.get("separator", "comma")
    if separator not in CSV_SEPARATORS:
        raise ExportError(f"separator must be {', '.join(CSV_SEPARATORS)}")
    # A BOM and, on request, semicolons: what a French spreadsheet opens without a wizard.
    extra = ["-lco", "WRITE_BOM=YES", "-lco", f"SEPARATOR={CSV_SEPARATORS[separator]}"]
    if geometry == "wkt":
        extra += ["-lco", "GEOMETRY=AS_WKT"]
    return job.converted("CSV", "csv", extra, lon_lat=geometry == "lonlat", spreadsheet=True)


def _gpkg(job: Job) -> Path:
    title = job.selection.layer.title
    extra = ["-lco", f"IDENTIFIER={title}", "-lco", f"DESCRIPTION={job.notice()}"]
    return job.converted("GPKG", "gpkg", extra)


def _kml(job: Job) -> Path:
    title = job.selection.layer.title
    extra = ["-dsco", f"NAME={title}", "-dsco", f"DESCRIPTION={job.notice()}"]
    return job.converted("LIBKML", "kml", extra)


def _flatgeobuf(job: Job) -> Path:
    return job.converted("FlatGeobuf", "fgb", [])


def _shapefile(job: Job) -> Path:
    """A zip of the Shapefile's parts and the licence beside them (the format has no field)."""
    source, order = job.features()
    parts = job.folder / job.name
    parts.mkdir()
    extra = ["-nlt", job.selection.layer.geometry_type, "-lco", "ENCODING=UTF-8", *order]
    ogr2ogr(source, parts / f"{job.name}.shp", "ESRI Shapefile", extra)
    (parts / "LICENCE.txt").write_text(job.notice() + "\n", encoding="utf-8")
    target = job.folder / f"{job.name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(parts.iterdir()):
            archive.write(part, part.name)
    return target


@dataclass(frozen=True)
class Format:
    """A format the layers are exported in, and the writer that makes its file."""

    extension: str
    content_type: str
    write: Callable[[Job], Path]
    options: tuple[str, ...] = ()  # parameters that shape the format rather than filter rows


FORMATS: dict[str, Format] = {
    "geojson": Format("geojson", "application/geo+json", _geojson),
    "csv": Format("csv", "text/csv; charset=utf-8", _csv, ("geometry", "separator")),
    "gpkg": Format("gpkg", "application/geopackage+sqlite3", _gpkg),
    "shp": Format("zip", "application/zip", _shapefile),
    "kml": Format("kml", "application/vnd.google-earth.kml+xml", _kml),
    "fgb": Format("fgb", "application/flatgeobuf", _flatgeobuf),
    "html": Format("html", "text/html; charset=utf-8", _map),
}
FORMAT_OPTIONS: dict[str, tuple[str, ...]] = {n: f.options for n, f in FORMATS.items()}


def _field_order(layer, lon_lat: bool) -> list[str]:
    """Columns in the layer's order (PostGIS ``jsonb`` sorts keys), lon/lat first in a CSV."""
    fields = [*layer.properties, "source", "licence"]
    if lon_lat:
        fields = ["lon", "lat", *fields]
    return ["-select", ",".join(fields)]


def ogr2ogr(source: Path, target: Path, driver: str, extra: list[str]) -> None:
    """Convert ``source`` with GDAL; arrays (tags) become JSON text, which every format holds."""
    command = [
        "ogr2ogr",
        "-f",
        driver,
        str(target),
        str(source),
        "-oo",
        "ARRAY_AS_STRING=YES",
        "-oo",
        "FLATTEN_NESTED_ATTRIBUTES=NO",
        *extra,
    ]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments as a list
        command, capture_output=True, text=True, timeout=OGR2OGR_TIMEOUT_S, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"ogr2ogr failed: {result.stderr.strip()}")
