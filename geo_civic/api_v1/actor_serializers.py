"""How actors look in ``/api/v1/``: GeoJSON Features at their *published* point.

Anyone reads the public fields (``actors.models.PUBLIC_FIELDS``; e-mail and phone only when their
owner made them public). The ``private`` member (exact point, contacts, address of a home,
moderation note) is filled only for the entry's editors and moderators, else ``null``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_civic.actors.models import Actor, Category
from geo_civic.api_v1 import schema_extensions  # noqa: F401 (registers the Feature schema)
from geo_civic.api_v1.participation_serializers import CommuneRefSerializer
from geo_civic.contributions.models import ActorRevision, Report
from geo_civic.contributions.permissions import can_edit
from geo_civic.territories.models import Commune

POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3}
POINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {"type": {"type": "string", "enum": ["Point"]}, "coordinates": POSITION},
}
RING = {"type": "array", "items": POSITION, "minItems": 4}
MULTIPOLYGON = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"type": "string", "enum": ["MultiPolygon"]},
        "coordinates": {"type": "array", "items": {"type": "array", "items": RING}},
    },
}


@extend_schema_field(POINT)
class PointField(GeometryField):
    """A GeoJSON Point, 6 decimals (about 0.1 m); written directly, not through GEOS's JSON
    (which cost a page of 50 Features more than the rest of their serialisation)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(precision=6, **kwargs)

    def to_representation(self, value) -> dict | None:
        if value is None:
            return None
        return {"type": "Point", "coordinates": [round(value.x, 6), round(value.y, 6)]}


@extend_schema_field({**MULTIPOLYGON, "type": ["object", "null"]})
class BoundaryField(GeometryField):
    def __init__(self, **kwargs) -> None:
        super().__init__(precision=6, **kwargs)


class EditorFields(serializers.Serializer):
    """What only the entry's editors and moderators see."""

    point = PointField()
    address = serializers.CharField()
    location_is_private = serializers.BooleanField()
    email = serializers.CharField()
    email_public = serializers.BooleanField()
    phone = serializers.CharField()
    phone_public = serializers.BooleanField()
    moderation_note = serializers.CharField()
    owner = serializers.CharField(allow_null=True)


class ActorFeature(GeoFeatureModelSerializer):
    public_point = PointField(read_only=True)
    commune = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    address = serializers.CharField(source="public_address")
    email = serializers.CharField(source="public_email")
    phone = serializers.CharField(source="public_phone")
    url = serializers.CharField(source="get_absolute_url")
    private = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        geo_field = "public_point"
        geometry = POINT
        fields = ["id", "kind", "name", "slug", "status", "summary", "description",
                  "description_html", "address", "commune", "categories", "tags", "website",
                  "social_links", "email", "phone", "opening_hours", "organisation_type",
                  "project_stage", "starts_at", "ends_at", "all_day", "place_type", "url",
                  "created_at", "updated_at", "private"]  # fmt: skip

    @extend_schema_field(CommuneRefSerializer(allow_null=True))
    def get_commune(self, actor: Actor) -> dict | None:
        commune = actor.commune
        return {"code": commune.code, "name": commune.name} if commune else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_categories(self, actor: Actor) -> list[str]:
        return sorted(c.slug for c in actor.categories.all())

    @extend_schema_field(EditorFields(allow_null=True))
    def get_private(self, actor: Actor) -> dict | None:
        request = self.context.get("request")
        if request is None or not can_edit(request.user, actor):
            return None
        return {
            "point": PointField().to_representation(actor.point),
            "address": actor.address,
            "location_is_private": actor.location_is_private,
            "email": actor.email,
            "email_public": actor.email_public,
            "phone": actor.phone,
            "phone_public": actor.phone_public,
            "moderation_note": actor.moderation_note,
            "owner": actor.owner.username if actor.owner_id else None,
        }


class ActorProperties(serializers.Serializer):
    """What a contribution gives: the site form's fields, JSON-typed (documentation only:
    ``actor_input`` reads the body and the site's form validates it)."""

    kind = serializers.ChoiceField(Actor.Kind.choices, help_text="required on creation only")
    name = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, max_length=2000)
    description = serializers.CharField(required=False)
    categories = serializers.ListField(child=serializers.CharField(), required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    address = serializers.CharField(required=False, max_length=300)
    location_is_private = serializers.BooleanField(required=False)
    website = serializers.CharField(required=False, max_length=500)
    social_links = serializers.ListField(child=serializers.CharField(), required=False)
    email = serializers.CharField(required=False)
    email_public = serializers.BooleanField(required=False)
    phone = serializers.CharField(required=False)
    phone_public = serializers.BooleanField(required=False)
    opening_hours = serializers.CharField(required=False)
    organisation_type = serializers.ChoiceField(Actor.OrganisationType.choices, required=False)
    project_stage = serializers.ChoiceField(Actor.ProjectStage.choices, required=False)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    all_day = serializers.BooleanField(required=False)
    place_type = serializers.ChoiceField(Actor.PlaceType.choices, required=False)
    draft = serializers.BooleanField(required=False, help_text="kept to its author alone")


class ActorInput(serializers.Serializer):
    """A GeoJSON Feature: a Point geometry, or null with ``properties.address`` to geocode."""

    type = serializers.ChoiceField(["Feature"])
    geometry = PointField(allow_null=True)
    properties = ActorProperties()


class Decision(serializers.Serializer):
    decision = serializers.ChoiceField(["approve", "reject", "archive"])
    reason = serializers.CharField(
        required=False, max_length=2000, help_text="required to reject or archive"
    )


class Reason(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReportOut(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "actor", "reason", "resolved", "created_at"]


class RevisionOut(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = ActorRevision
        fields = ["id", "action", "author", "note", "created_at", "changes"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_changes(self, revision: ActorRevision) -> list[str]:
        return self.context.get("changes", {}).get(revision.pk, [])


class CategoryOut(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.slug", default=None)

    class Meta:
        model = Category
        fields = ["slug", "name", "colour", "icon", "parent"]


class CommuneOut(GeoFeatureModelSerializer):
    """A commune, its boundary simplified for the zoom band asked (``band``)."""

    boundary = BoundaryField(source="shape", allow_null=True, read_only=True)

    class Meta:
        model = Commune
        geo_field = "boundary"
        geometry = {**MULTIPOLYGON, "type": ["object", "null"]}
        fields = ["id", "code", "name", "departement_code", "region_code", "population",
                  "area_km2"]  # fmt: skip
