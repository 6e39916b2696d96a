"""``/api/map/clusters``: what the map shows when a view holds too many actors to draw.

The actors of the view, filtered exactly like every layer and export (``layers.filters``), are
grouped by PostGIS on a grid of about 60 screen pixels at the asked zoom: one row per non-empty
cell with its count and mean position, however many actors there are. The answer also counts the
view per kind (whatever kinds are ticked) and per category, for the filter panel.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Count
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from geo_civic.actors.models import Category
from geo_civic.web.params import ParameterError, single_values, whole_number_parameter
from geo_civic.web.problems import problem_of
from layers.filters import select
from layers.registry import get_layer

CELL_PIXELS = 60
MAX_ZOOM = 22
ZOOM = whole_number_parameter(
    "zoom", "the map's zoom, which sets the grid's cell size", minimum=0, maximum=MAX_ZOOM,
    required=True,
)  # fmt: skip
# The layer filters this endpoint takes besides ``zoom`` (bbox required; no paging).
FILTERS = ("bbox", "commune", "departement", "region", "epci", "kind", "category", "tags", "q",
           "start", "end", "updated_since")  # fmt: skip

GRID_SQL = """
    SELECT count(*), ST_Y(ST_Centroid(ST_Collect(pp))), ST_X(ST_Centroid(ST_Collect(pp))),
           min(id)
    FROM ({actors}) AS a(id, pp)
    GROUP BY ST_SnapToGrid(pp, %s)
"""


def grid_clusters(queryset, zoom: int) -> list[dict]:
    """Actors grouped by grid cell: count, mean position, and the id of a lone actor."""
    cell = 360 / (256 * 2**zoom) * CELL_PIXELS
    sql, params = queryset.order_by().values_list("id", "public_point").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:  # a replica when one may serve
        cursor.execute(GRID_SQL.format(actors=sql), (*params, cell))
        rows = cursor.fetchall()
    return [
        {"count": n, "lat": round(lat, 5), "lon": round(lon, 5), "id": first if n == 1 else None}
        for n, lat, lon, first in rows
    ]


def view_summary(params: dict[str, str]) -> dict:
    layer = get_layer("actors")
    selection = select(layer, params)
    any_kind = select(layer, params, ignore=("kind",)).queryset.order_by()
    per_kind = dict(any_kind.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    per_category = (
        Category.objects.filter(actors__in=selection.queryset.order_by().values("id"))
        .values("slug")
        .annotate(n=Count("actors"))
        .values_list("slug", "n")
    )
    return {
        "total": selection.queryset.count(),
        "kinds": per_kind,
        "categories": dict(per_category),
    }


@require_safe
def clusters(request: HttpRequest) -> JsonResponse:
    """``/api/map/clusters?zoom=&bbox=&<layer filters>``: grid clusters and counts of the view."""
    try:
        params = single_values(request.GET)
        zoom = ZOOM.parse("zoom", params.pop("zoom", ""))
        if "bbox" not in params:
            raise ParameterError("bbox is required", "bbox")
        if "limit" in params or "offset" in params:
            raise ParameterError("limit and offset do not apply to clusters", "limit")
        summary = view_summary(params)
        queryset = select(get_layer("actors"), params).queryset
        summary["clusters"] = grid_clusters(queryset, zoom)
    except ParameterError as error:
        return problem_of(error)
    return JsonResponse(summary)
