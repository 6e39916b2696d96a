"""Cursor pages for ``/api/v1/`` lists: stable under inserts (a new row never shifts a page),
page size capped; a list of features also links to the streamed layer of the same filters."""

from __future__ import annotations

from urllib.parse import urlencode

from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from geo_civic.web.params import ParameterError, whole_number

MAX_PAGE_SIZE = 200
PAGE_PARAMETERS = ("cursor", "page_size")


class IdCursor(CursorPagination):
    """Pages ordered by id, newest rows at the end: an insert lands on the last page."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    members = "results"

    def get_page_size(self, request) -> int:
        value = request.query_params.get("page_size")
        if value is None:
            return self.page_size
        return whole_number("page_size", value, minimum=1, maximum=MAX_PAGE_SIZE)

    def links(self) -> dict:
        return {"next": self.get_next_link(), "previous": self.get_previous_link()}

    def get_paginated_response(self, data) -> Response:
        return Response({self.members: data, "links": self.links()})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": [self.members, "links"],
            "properties": {self.members: schema, "links": LINKS_SCHEMA},
        }


LINK = {"type": ["string", "null"], "format": "uri"}
LINKS_SCHEMA = {
    "type": "object",
    "required": ["next", "previous"],
    "properties": {"next": LINK, "previous": LINK},
}


class FeatureCursor(IdCursor):
    """A FeatureCollection page, with a ``geojson`` link to the layer streamed by PostGIS."""

    layer_path: str | None = "/api/layers/actors.geojson"

    def paginate_queryset(self, queryset, request, view=None):
        self.filters = {k: v for k, v in request.query_params.items() if k not in PAGE_PARAMETERS}
        return super().paginate_queryset(queryset, request, view)

    def links(self) -> dict:
        if self.layer_path is None:
            return super().links()
        query = f"?{urlencode(self.filters)}" if self.filters else ""
        return {
            **super().links(),
            "geojson": self.request.build_absolute_uri(self.layer_path + query),
        }

    def get_paginated_response(self, data) -> Response:
        features = data["features"] if isinstance(data, dict) else data
        return Response({"type": "FeatureCollection", "features": features, "links": self.links()})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        features = schema
        ref = schema.get("$ref", "")
        if ref.endswith("List"):  # the Feature serializer's list: its array of Features
            features = {"type": "array", "items": {"$ref": ref.removesuffix("List")}}
        return {
            "type": "object",
            "required": ["type", "features", "links"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": features,
                "links": {
                    **LINKS_SCHEMA,
                    "properties": {
                        **LINKS_SCHEMA["properties"],
                        "geojson": {
                            "type": "string",
                            "format": "uri",
                            "description": "the whole selection, streamed by the layer",
                        },
                    },
                },
            },
        }


class PlainFeatureCursor(FeatureCursor):
    """A FeatureCollection page of rows no public layer holds (pending entries)."""

    layer_path = None


__all__ = ["FeatureCursor", "IdCursor", "ParameterError", "PlainFeatureCursor"]
