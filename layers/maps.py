"""A folium map of a filtered layer: one HTML page a newsroom can publish as it is.

The page is self-contained: Leaflet (from npm, ``node_modules``) is inlined as data URLs instead
of folium's CDN links, so only the basemap tiles are fetched. Every string that came from users
(names, summaries, tags) is HTML-escaped before folium puts it into the page, so a name like
``<script>`` shows as text and never runs.
"""

from __future__ import annotations

import base64
import html
import json
from functools import cache
from pathlib import Path

import folium
from django.conf import settings
from django.db import connections

from layers.export_errors import ExportError
from layers.filters import Selection
from layers.geojson import compile_features
from layers.provenance import notice, sources_of

MAX_MAP_FEATURES = 5_000


@cache
def inline_leaflet() -> tuple[list, list]:
    """Leaflet's script and style sheet as data URLs, for folium's default_js/default_css."""
    dist = Path(settings.BASE_DIR) / "node_modules" / "leaflet" / "dist"

    def data_url(name: str, media_type: str) -> str:
        return f"data:{media_type};base64," + base64.b64encode((dist / name).read_bytes()).decode()

    return (
        [("leaflet", data_url("leaflet.js", "text/javascript"))],
        [("leaflet_css", data_url("leaflet.css", "text/css"))],
    )


def escaped(value: object) -> object:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [escaped(v) for v in value]
    return value


def load_features(selection: Selection) -> list[dict]:
    sql, params = compile_features(selection)
    with connections[selection.queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        features = [json.loads(text) for (text,) in cursor.fetchall()]
    for feature in features:
        feature["properties"] = {k: escaped(v) for k, v in feature["properties"].items()}
    return features


def write_map(selection: Selection, target: Path) -> None:
    layer = selection.layer
    if selection.page().count() > MAX_MAP_FEATURES:
        raise ExportError(
            f"a map holds at most {MAX_MAP_FEATURES} features: narrow the selection "
            "(bbox, commune, departement, kind, limit…)"
        )
    features = load_features(selection)
    page = folium.Map(tiles=None, control_scale=True)
    page.default_js, page.default_css = inline_leaflet()
    folium.TileLayer(
        tiles=settings.GEO_CIVIC_BASEMAP_URL, attr=settings.GEO_CIVIC_BASEMAP_ATTRIBUTION
    ).add_to(page)
    fields = [name for name in layer.properties if name not in ("summary", "tags")][:6]
    collection = {"type": "FeatureCollection", "features": features}
    if features:
        folium.GeoJson(
            collection,
            name=html.escape(layer.title),
            # Circles need no marker images, which a self-contained page could not load.
            marker=folium.CircleMarker(radius=6, fill=True) if layer.is_point else None,
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=fields),
            style_function=lambda _feature: {
                "color": "#1f6f8b",
                "weight": 2 if layer.is_point else 1,
                "fillOpacity": 0.7 if layer.is_point else 0.2,
            },
        ).add_to(page)
        lons, lats = _extent(features)
        page.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], max_zoom=15)
    else:
        page.location, page.options["zoom"] = [46.6, 2.4], 5
    credits = html.escape(notice(layer.title, sources_of(selection))).replace("\n", "<br>")
    title = html.escape(f"{layer.title} — GeoCivic")
    root = page.get_root()
    root.header.add_child(folium.Element(f"<title>{title}</title>"))
    root.html.add_child(
        folium.Element(
            '<div id="geocivic-credits" style="position:fixed;top:8px;right:8px;z-index:1000;'
            'background:#fff;padding:4px 8px;font:12px sans-serif;max-width:40%">'
            f"{credits}</div>"
        )
    )
    page.save(str(target))


def _extent(features: list[dict]) -> tuple[list[float], list[float]]:
    lons: list[float] = []
    lats: list[float] = []

    def walk(coordinates: list) -> None:
        if coordinates and isinstance(coordinates[0], (int, float)):
            lons.append(coordinates[0])
            lats.append(coordinates[1])
        else:
            for part in coordinates:
                walk(part)

    for feature in features:
        if feature["geometry"]:
            walk(feature["geometry"]["coordinates"])
    return lons, lats
