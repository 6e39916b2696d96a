"""drf-spectacular extension: the exact shape of our GeoJSON Features, whose geometry its GIS
support cannot read from a generated column (``Actor.public_point``) or an annotation (a
commune's simplified shape). A serializer declares it in ``Meta.geometry``."""

from __future__ import annotations

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.contrib.rest_framework_gis import GeoFeatureModelSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_object_type, get_class


class DeclaredGeometryFeature(GeoFeatureModelSerializerExtension):
    """A Feature: ``type``, ``id``, ``geometry`` (as declared) and ``properties``, all present."""

    target_class = "rest_framework_gis.serializers.GeoFeatureModelSerializer"
    match_subclasses = True
    priority = 1

    @classmethod
    def _matches(cls, target) -> bool:
        meta = getattr(get_class(target), "Meta", None)
        return super()._matches(target) and hasattr(meta, "geometry")

    def map_geo_feature_model_serializer(self, serializer, base_schema):
        meta = serializer.Meta
        properties = base_schema["properties"]
        feature = {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": properties.pop(meta.id_field),
            "geometry": meta.geometry,
        }
        properties.pop(meta.geo_field)
        base_schema.pop("description", None)
        required = [name for name in base_schema.get("required", []) if name in properties]
        base_schema["required"] = sorted(set(required) | set(properties))
        feature["properties"] = base_schema
        return build_object_type(
            properties=feature,
            required=["type", "id", "geometry", "properties"],
            description=(serializer.__doc__ or "").strip() or None,
        )


class EnvelopeListSchema(AutoSchema):
    """For a ``list`` answering one object that holds the list (``{"spaces": [...]}``), not a
    bare array: drf-spectacular otherwise wraps the documented answer in an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class BearerScheme(KnoxTokenScheme):
    """Our knox subclass (``geo_civic/api_v1/bearer.py``) documented as knox's Bearer scheme."""

    target_class = "geo_civic.api_v1.bearer.BearerAuthentication"
