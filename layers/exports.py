"""Exports in every GIS format, all written by GDAL from the same filtered query.

PostGIS streams the selected rows as GeoJSON into a temporary file, with each feature's source
and licence; ``ogr2ogr`` converts it to the asked format, and the format's own field carries the
licence notice too where it has one (GeoPackage description, KML document, a sidecar in the
Shapefile zip). No format is written by hand.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.db import connections
from django.db.models import F

from layers.export_errors import ExportError
from layers.filters import Selection
from layers.geojson import COORDINATE_DECIMALS, FETCH_SIZE, properties_sql
from layers.maps import write_map
from layers.provenance import licence_by_source, notice, sources_of


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    driver: str | None  # GDAL driver; None for the folium map


FORMATS: dict[str, Format] = {
    "geojson": Format("geojson", "application/geo+json", "GeoJSON"),
    "csv": Format("csv", "text/csv; charset=utf-8", "CSV"),
    "gpkg": Format("gpkg", "application/geopackage+sqlite3", "GPKG"),
    "shp": Format("zip", "application/zip", "ESRI Shapefile"),
    "kml": Format("kml", "application/vnd.google-earth.kml+xml", "LIBKML"),
    "fgb": Format("fgb", "application/flatgeobuf", "FlatGeobuf"),
    "html": Format("html", "text/html; charset=utf-8", None),
}
# Parameters that shape a format rather than filter rows.
FORMAT_OPTIONS: dict[str, tuple[str, ...]] = {"csv": ("geometry", "separator")}
CSV_SEPARATORS = {"comma": "COMMA", "semicolon": "SEMICOLON", "tab": "TAB"}
OGR2OGR_TIMEOUT_S = 600

# The published properties plus the row's source and licence (and lon/lat for CSV: the point
# itself, or a point inside the polygon). For a spreadsheet, text properties are made safe.
EXPORT_FEATURE_SQL = """
SELECT json_build_object(
    'type', 'Feature',
    'id', f.id,
    'geometry', f.geometry,
    'properties', CASE WHEN %s THEN (
        SELECT jsonb_object_agg(p.key, CASE
            WHEN jsonb_typeof(p.value) = 'string' AND p.value #>> '{{}}' ~ %s
            THEN to_jsonb(%s || (p.value #>> '{{}}'))
            ELSE p.value END)
        FROM jsonb_each(f.properties) AS p
    ) ELSE f.properties END
)::text
FROM (
    SELECT q.id, ST_AsGeoJSON(q._geom, %s)::json AS geometry,
        {properties}::jsonb
        || jsonb_build_object('source', q._source, 'licence', %s::jsonb ->> q._source)
        || CASE WHEN %s THEN jsonb_build_object(
               'lon', round(ST_X(ST_PointOnSurface(q._geom))::numeric, 6),
               'lat', round(ST_Y(ST_PointOnSurface(q._geom))::numeric, 6))
           ELSE '{{}}'::jsonb END AS properties
    FROM ({inner}) AS q
) AS f
"""
# A text cell a spreadsheet would run as a formula (OWASP, CSV injection): = + - @, tab, CR. With
# a quote before it, it shows as the text it is. Numbers are JSON numbers there: left as they are.
FORMULA_START = "^[-=+@\t\r]"
FORMULA_GUARD = "'"


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
    inner, params = rows.query.sql_with_params()
    properties, names = properties_sql(layer)
    sql = EXPORT_FEATURE_SQL.format(properties=properties, inner=inner)
    count = 0
    with target.open("wb") as out, connections[page.db].chunked_cursor() as cursor:
        out.write(b'{"type":"FeatureCollection","features":[\n')
        cursor.execute(
            sql,
            [spreadsheet, FORMULA_START, FORMULA_GUARD, COORDINATE_DECIMALS, *names,
             json.dumps(licences), lon_lat, *params],
        )  # fmt: skip
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
    unknown = set(options) - set(FORMAT_OPTIONS.get(fmt, ()))
    if unknown:
        raise ExportError(f"unknown option {', '.join(sorted(unknown))} for format {fmt}")
    layer = selection.layer
    if fmt == "html":
        target = folder / f"{layer.name}.html"
        write_map(selection, target)
        return target
    geometry = options.get("geometry", "lonlat")
    if geometry not in ("lonlat", "wkt", "none"):
        raise ExportError("geometry must be lonlat, wkt or none")
    source = folder / "selection.geojson"
    lon_lat = fmt == "csv" and geometry == "lonlat"
    count = write_geojson(selection, source, lon_lat=lon_lat, spreadsheet=fmt == "csv")
    # GDAL learns the fields from the features: an empty selection has none to order.
    order = _field_order(layer, lon_lat) if count else []
    text = notice(layer.title, sources_of(selection))
    name = layer.name.replace("-", "_")
    if fmt == "geojson":
        return source
    if fmt == "shp":
        shp_folder = folder / name
        shp_folder.mkdir()
        ogr2ogr(
            source,
            shp_folder / f"{name}.shp",
            "ESRI Shapefile",
            ["-nlt", layer.geometry_type, "-lco", "ENCODING=UTF-8", *order],
        )
        (shp_folder / "LICENCE.txt").write_text(text + "\n", encoding="utf-8")
        target = folder / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(shp_folder.iterdir()):
                archive.write(part, part.name)
        return target
    target = folder / f"{name}.{FORMATS[fmt].extension}"
    extra: list[str] = ["-nln", name, "-nlt", layer.geometry_type, *order]
    if fmt == "csv":
        separator = options.get("separator", "comma")
        if separator not in CSV_SEPARATORS:
            raise ExportError(f"separator must be {', '.join(CSV_SEPARATORS)}")
        # A BOM and, on request, semicolons: what a French spreadsheet opens without a wizard.
        extra += ["-lco", "WRITE_BOM=YES", "-lco", f"SEPARATOR={CSV_SEPARATORS[separator]}"]
        if geometry == "wkt":
            extra += ["-lco", "GEOMETRY=AS_WKT"]
    elif fmt == "gpkg":
        extra += ["-lco", f"IDENTIFIER={layer.title}", "-lco", f"DESCRIPTION={text}"]
    elif fmt == "kml":
        extra += ["-dsco", f"NAME={layer.title}", "-dsco", f"DESCRIPTION={text}"]
    ogr2ogr(source, target, FORMATS[fmt].driver, extra)
    return target


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
