"""``/api/v1/`` categories, communes, place search and nearby: thin doors over the read side
(``layers``), which holds the queries the map already uses."""

from __future__ import annotations

from django.contrib.gis.db.models import MultiPolygonField
from django.contrib.gis.db.models.functions import Transform
from django.db.models import OuterRef, Subquery, Value
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.views import APIView

from geo_civic.api_v1 import reads
from geo_civic.api_v1.actor_serializers import CategoryOut, CommuneOut
from geo_civic.api_v1.pagination import PAGE_PARAMETERS, PlainFeatureCursor
from geo_civic.api_v1.schema_parts import PAGE, READ, query, refusals
from geo_civic.api_v1.throttles import THROTTLES
from geo_civic.territories.models import CURRENT, Commune, CommuneShape
from geo_civic.territories.shapes import BANDS, band_for_zoom
from geo_civic.web.params import single_values, text, whole_number
from layers import nearby as nearby_layer
from layers import places as places_layer
from layers.categories import categories_in_use
from layers.filters import parse_codes

MAX_ZOOM = 22
ZOOM = query(
    "zoom",
    {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM},
    "the boundary simplified for this map zoom (the zoom bands of the vector tiles: "
    + ", ".join(f"≤{b.max_zoom}" for b in BANDS if b.max_zoom is not None)
    + ", above: full detail)",
)


class CategoriesView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        summary="Categories holding a published actor, and their ancestors",
        responses={
            200: inline_serializer("Categories", {"categories": CategoryOut(many=True)}),
            **refusals(*READ),
        },
    )
    def get(self, request):
        single_values(request.query_params, known=())
        return reads.conditional(request, {"categories": categories_in_use()})


def _communes(zoom: int | None):
    communes = Commune.objects.filter(CURRENT)
    if zoom is None:
        return communes.defer("boundary").annotate(
            shape=Value(None, output_field=MultiPolygonField(srid=4326))
        )
    shape = CommuneShape.objects.filter(commune=OuterRef("pk"), band=band_for_zoom(zoom))
    merc = Subquery(shape.values("geom")[:1], output_field=MultiPolygonField(srid=3857))
    return communes.defer("boundary").annotate(shape=Transform(merc, 4326))


def _zoom(given: dict) -> int | None:
    if "zoom" not in given:
        return None
    return whole_number("zoom", given["zoom"], minimum=0, maximum=MAX_ZOOM)


class CommuneViewSet(viewsets.GenericViewSet):
    throttle_classes = THROTTLES
    serializer_class = CommuneOut
    queryset = Commune.objects.none()
    pagination_class = PlainFeatureCursor
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    @extend_schema(
        summary="Current communes; boundaries only when a zoom is given",
        parameters=[query("departement", str, "département codes, comma-separated"), ZOOM, *PAGE],
        responses={200: CommuneOut(many=True), **refusals(*READ)},
    )
    def list(self, request):
        given = single_values(request.query_params, known=("departement", "zoom",
                                                           *PAGE_PARAMETERS))  # fmt: skip
        communes = _communes(_zoom(given))
        if "departement" in given:
            codes = parse_codes("departement", given["departement"])
            communes = communes.filter(departement_code__in=codes)
        page = self.paginate_queryset(communes)
        return self.get_paginated_response(CommuneOut(page, many=True).data)

    @extend_schema(
        summary="One current commune by INSEE code, its boundary at the zoom asked (default 11)",
        parameters=[ZOOM, OpenApiParameter("code", str, OpenApiParameter.PATH)],
        responses={200: CommuneOut, **refusals(*READ)},
    )
    def retrieve(self, request, code=None):
        given = single_values(request.query_params, known=("zoom",))
        zoom = _zoom(given)
        found = get_object_or_404(_communes(11 if zoom is None else zoom), code=code)
        return reads.conditional(request, CommuneOut(found).data)


PLACE = {
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "departement": serializers.CharField(),
    "postal_codes": serializers.ListField(child=serializers.CharField()),
    "bounds": serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="[[south, west], [north, east]]",
    ),
}
NEAR = {
    "id": serializers.IntegerField(),
    "name": serializers.CharField(),
    "kind": serializers.CharField(),
    "url": serializers.CharField(),
    "commune_name": serializers.CharField(allow_null=True),
    "lon": serializers.FloatField(),
    "lat": serializers.FloatField(),
    "distance_m": serializers.IntegerField(),
}


class PlacesView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        summary="Find a commune by name, INSEE code or postal code (the map's place search)",
        parameters=[query("q", {"type": "string", "maxLength": 100}, "what was typed")],
        responses={
            200: inline_serializer(
                "Places", {"results": inline_serializer("Place", PLACE, many=True)}
            ),
            **refusals(*READ),
        },
    )
    def get(self, request):
        given = single_values(request.query_params, known=("q",))
        found = places_layer.search_communes(
            text("q", given.get("q", ""), max_length=places_layer.MAX_QUERY_LENGTH)
        )
        return reads.conditional(request, {"results": found})


class NearbyView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        summary="Published actors nearest a point, nearest first (distance to the published "
        "point, in metres)",
        parameters=[
            query("lat", {"type": "number", "minimum": -90, "maximum": 90}, required=True),
            query("lon", {"type": "number", "minimum": -180, "maximum": 180}, required=True),
            query("limit", {"type": "integer", "minimum": 1, "maximum": nearby_layer.MAX_LIMIT}),
            query(
                "radius",
                {"type": "number", "minimum": 1, "maximum": nearby_layer.MAX_RADIUS_M},
                "metres",
            ),  # fmt: skip
        ],
        responses={
            200: inline_serializer(
                "Nearby", {"results": inline_serializer("NearbyActor", NEAR, many=True)}
            ),
            **refusals(*READ),
        },
    )
    def get(self, request):
        found = nearby_layer.nearest_actors(**nearby_layer.parse(request.query_params))
        return reads.conditional(request, {"results": found})
