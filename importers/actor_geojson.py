"""Read actors from point features of any vector file GDAL opens (GeoJSON, GeoPackage, Shapefile…).

Points are reprojected to WGS 84 by GDAL; the properties go through the same field mapping as
CSV. Features without a geometry keep their address so they can be geocoded.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.gis.gdal import GDALException, SpatialReference
from django.utils.encoding import DjangoUnicodeDecodeError

from importers.actor_csv import rows_from_records
from importers.actor_mapping import FieldMapping
from importers.errors import ImportFailed
from importers.gdal_open import ACTOR_DRIVERS, open_vector

WGS84 = SpatialReference(4326)


def read_geojson(
    path: Path, *, kind: str = "organisation", mapping: FieldMapping | None = None
) -> tuple[list, list[str]]:
    """Rows from the first layer of ``path``; a feature that is not a point is a warning."""
    with open_vector(Path(path), ACTOR_DRIVERS) as source:
        if not len(source):
            raise ImportFailed(f"{path}: this {source.driver} file holds no layer")
        try:
            records, warnings, columns = _records(path, source[0])
        except GDALException as exc:
            raise ImportFailed(f"{path}: GDAL cannot read it ({exc})") from None
        if not records and not warnings:
            raise ImportFailed(f"{path}: this {source.driver} file holds no feature")
    fields = mapping or FieldMapping()
    if "lat" not in fields.columns and "lon" not in fields.columns:  # else: columns named
        fields = FieldMapping({**fields.columns, "lon": "__lon", "lat": "__lat"})
    rows, row_warnings = rows_from_records(
        records, fields, kind=kind, columns=[*columns, "__lon", "__lat"]
    )
    return rows, warnings + row_warnings


def _records(path: Path, layer) -> tuple[list[dict], list[str], list[str]]:
    """Each feature's properties, and its point as ``__lon``/``__lat`` in WGS 84."""
    records: list[dict] = []
    warnings: list[str] = []
    columns = list(layer.fields)
    for index, feature in enumerate(layer, start=1):
        try:
            record = {name: feature.get(name) for name in columns}
        except DjangoUnicodeDecodeError:
            raise ImportFailed(
                f"{path}: feature {index} has text that is not UTF-8 (a Shapefile without its "
                ".cpg? add one naming the encoding, e.g. ISO-8859-1)"
            ) from None
        record["__lon"] = record["__lat"] = None
        geometry = feature.geom if feature.geom_type.num != 100 else None  # 100: no geometry
        if geometry is not None:
            if geometry.geom_type.name.removesuffix("25D") != "Point":
                warnings.append(f"feature {index}: a {geometry.geom_type.name}, not a point")
                continue
            if geometry.srs is not None and geometry.srid != 4326:
                geometry.transform(WGS84)
            record["__lon"], record["__lat"] = geometry.x, geometry.y
        records.append(record)
    return records, warnings, columns
