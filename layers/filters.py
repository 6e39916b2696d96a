"""The one filter set shared by the map, the API and the exports.

Parsing is strict: an unknown parameter or a malformed value is an error with a reason, so a
typo never silently returns the whole layer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from django.contrib.gis.geos import Polygon
from django.db.models import QuerySet

from layers.registry import Layer


class FilterError(ValueError):
    """A request parameter that cannot be understood; the message says why."""


def parse_bbox(value: str) -> Polygon:
    """``minLon,minLat,maxLon,maxLat`` in WGS 84 → a polygon."""
    parts = value.split(",")
    if len(parts) != 4:
        raise FilterError("bbox needs 4 numbers: minLon,minLat,maxLon,maxLat")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise FilterError("bbox values must be numbers") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise FilterError("bbox values must be finite numbers")
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise FilterError("bbox is outside -180..180 longitude, -90..90 latitude")
    if west > east or south > north:
        raise FilterError("bbox minimum is greater than its maximum")
    polygon = Polygon.from_bbox((west, south, east, north))
    polygon.srid = 4326
    return polygon


def _commune(layer: Layer, value: str) -> dict:
    field = "code" if layer.name == "communes" else "commune__code"
    return {f"{field}__in": [v.strip() for v in value.split(",") if v.strip()]}


def _kind(layer: Layer, value: str) -> dict:
    kinds = [v.strip() for v in value.split(",") if v.strip()]
    allowed = {choice for choice, _ in layer.model._meta.get_field("kind").choices}
    unknown = sorted(set(kinds) - allowed)
    if unknown:
        raise FilterError(
            f"unknown kind {', '.join(unknown)} (known: {', '.join(sorted(allowed))})"
        )
    return {"kind__in": kinds}


def _supports(layer: Layer, field: str) -> bool:
    return any(f.name == field for f in layer.model._meta.get_fields())


def apply_filters(layer: Layer, params: Mapping[str, str]) -> QuerySet:
    """The layer's rows narrowed by the request parameters."""
    queryset = layer.rows()
    for name, value in params.items():
        if name == "bbox":
            queryset = queryset.filter(**{f"{layer.geometry}__intersects": parse_bbox(value)})
        elif name == "commune":
            queryset = queryset.filter(**_commune(layer, value))
        elif name == "kind" and _supports(layer, "kind"):
            queryset = queryset.filter(**_kind(layer, value))
        else:
            raise FilterError(f"unknown parameter {name!r} for layer {layer.name!r}")
    return queryset
