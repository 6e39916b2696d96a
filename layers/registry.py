"""The named layers that the map, the API, the tiles and the exports read.

A layer is a queryset of what may be shown, the geometry field, the properties it publishes and
what its rows can be filtered on. Only the properties listed here ever leave the database, so a
private field stays private.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf, Round
from django.urls import reverse

from geo_civic.actors.models import Actor, Category
from geo_civic.participation import statuses
from geo_civic.participation.models import Proposal
from geo_civic.territories.models import CURRENT, Commune
from layers.models import CommuneResult
from layers.row_filters import RowFilter, choices, ids, words
from layers.tile_geometry import commune_shape, result_commune_shape, transformed

COMMUNE_PATHS = {
    "commune": "code",
    "departement": "departement_code",
    "region": "region_code",
    "epci": "epci__code",  # SIREN
}
ACTOR_COMMUNE_PATHS = {
    "commune": "commune__code",
    "departement": "commune__departement_code",
    "region": "commune__region_code",
    "epci": "commune__epci__code",
}


@dataclass(frozen=True)
class Layer:
    name: str
    title: str
    description: str
    model: type
    # The rows that may be shown; the argument narrows the actors the layer lists or counts
    # (kind, tags), so that ``actors-per-commune?kind=event`` counts events only.
    rows: Callable[[Q], QuerySet]
    geometry: str
    geometry_type: str  # "Point" or "MultiPolygon"
    # published name -> model field path
    properties: dict[str, str]
    # filter name (commune, departement, region, epci) -> model field path, or a function of
    # the codes giving the condition (proposals: located within those communes)
    territory_paths: dict[str, str | Callable[[list[str]], Q]]
    search_fields: tuple[str, ...]
    # The field that names each row's source (see layers.provenance).
    source_field: str
    source_kind: str  # "communes" or "actors": the folder of data/<kind>/*.toml
    actor_filters: bool = False  # kind and tags apply
    updated_field: str | None = None  # updated_since applies
    # (start, end) fields of a layer with dates: start/end and the OGC datetime apply.
    dates: tuple[str, str] | None = None
    # Tiles keep the first features in this order when a tile holds too many.
    tile_order: tuple[str, ...] = ("id",)
    # The geometry a tile draws at a zoom (see layers.tile_geometry).
    tile_geometry: Callable[[int], tuple[str, list]] = transformed
    formats: tuple[str, ...] = field(
        default=("geojson", "csv", "gpkg", "shp", "kml", "fgb", "html")
    )
    # Parameters of this layer's own rows (a proposal's space, status), see layers.row_filters.
    row_filters: dict[str, RowFilter] = field(default_factory=dict)

    def published(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` reduced to the id, the published properties and ``_geom``.

        Each property comes out as the column :func:`column` names, so a published name may be
        a model field's name (``categories``) while its value is an annotation.
        """
        columns = {column(name): F(path) for name, path in self.properties.items()}
        return queryset.values("id", **columns, _geom=F(self.geometry))

    @property
    def is_point(self) -> bool:
        return self.geometry_type == "Point"

    def property_types(self) -> dict[str, str]:
        """Published name → JSON type (string, integer, number, boolean, array, or date-time: an
        ISO 8601 string), for schemas."""
        annotations = self.rows(Q()).query.annotations
        types = {}
        for name, path in self.properties.items():
            field = annotations[path].output_field if path in annotations else _field(self, path)
            types[name] = _json_type(field)
        return types


def column(name: str) -> str:
    """The SQL column of published property ``name`` in :meth:`Layer.published` rows."""
    return f"p_{name}"


def _field(layer: Layer, path: str):
    model = layer.model
    *relations, last = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(last)


def _json_type(field) -> str:
    field = getattr(field, "output_field", None) or field  # a GeneratedField's type
    kind = field.get_internal_type()
    integers = ("IntegerField", "PositiveIntegerField", "BigIntegerField", "BigAutoField")
    if kind in integers or kind == "ForeignKey":  # every primary key here is a whole number
        return "integer"
    if kind in ("FloatField", "DecimalField"):
        return "number"
    if kind == "ArrayField":
        return "array"
    if kind == "BooleanField":
        return "boolean"
    if kind == "DateTimeField":
        return "date-time"  # an ISO 8601 string with its offset
    return "string"


def actor_url() -> Concat:
    """``Actor.get_absolute_url()`` in SQL: ``/acteurs/42-jardin-partage/``."""
    before, after = reverse("actor-detail", kwargs={"pk": 0, "slug": "acteur"}).split("0-acteur")
    return Concat(
        Value(before),
        Cast("id", CharField()),
        Value("-"),
        Coalesce(NullIf("slug", Value("")), Value("acteur")),
        Value(after),
        output_field=CharField(),
    )


def _for_events(path: str, output_field) -> Case:
    """The field for an event, null for any other kind."""
    return Case(
        When(kind=Actor.Kind.EVENT, then=F(path)), default=Value(None), output_field=output_field
    )


def actor_annotations() -> dict:
    """The computed published properties of actors (see the round-2 contract with the map)."""
    categories = Category.objects.filter(actors=OuterRef("pk")).order_by("name", "slug")
    return {
        "_url": actor_url(),
        "_categories": ArraySubquery(categories.values("slug")),
        "_colour": Subquery(categories.values("colour")[:1], output_field=CharField()),
        "_starts_at": _for_events("starts_at", DateTimeField()),
        "_ends_at": _for_events("ends_at", DateTimeField()),
        "_all_day": _for_events("all_day", BooleanField()),
    }


def published_actors(kind: str | None = None) -> Callable[[Q], QuerySet]:
    def rows(actors: Q) -> QuerySet:
        queryset = Actor.objects.filter(status=Actor.Status.PUBLISHED).filter(actors)
        queryset = queryset.filter(kind=kind) if kind else queryset
        return queryset.annotate(**actor_annotations())

    return rows


def communes_with_actor_counts(actors: Q) -> QuerySet:
    """Current communes with the number of published actors in each, and per 1,000 inhabitants."""
    counted = (
        Actor.objects.filter(actors, status=Actor.Status.PUBLISHED, commune=OuterRef("pk"))
        .order_by()
        .values("commune")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        Commune.objects.filter(CURRENT)
        .annotate(actor_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .annotate(
            per_1000=Case(
                When(
                    population__gt=0,
                    then=Round(F("actor_count") * 1000.0 / F("population"), 3),
                ),
                default=Value(None),
                output_field=FloatField(),
            )
        )
    )


ACTOR_PROPERTIES = {
    "name": "name",
    "kind": "kind",
    "summary": "summary",
    "tags": "tags",
    "website": "website",
    "commune_code": "commune__code",
    "commune_name": "commune__name",
    "url": "_url",
    "categories": "_categories",
    "colour": "_colour",
    "starts_at": "_starts_at",
    "ends_at": "_ends_at",
    "all_day": "_all_day",
}
COMMUNE_PROPERTIES = {
    "code": "code",
    "name": "name",
    "departement": "departement_code",
    "region": "region_code",
    "population": "population",
    "area_km2": "area_km2",
}


def actor_layer(
    name: str,
    title: str,
    description: str,
    kind: str | None = None,
    dates: tuple[str, str] | None = None,
) -> Layer:
    return Layer(
        name=name,
        title=title,
        description=description,
        model=Actor,
        rows=published_actors(kind),
        # Never the exact point: a home address is published only to about 1 km.
        geometry="public_point",
        geometry_type="Point",
        properties=ACTOR_PROPERTIES,
        territory_paths=ACTOR_COMMUNE_PATHS,
        search_fields=("name", "summary", "tags"),
        source_field="source_key",
        source_kind="actors",
        actor_filters=True,
        updated_field="updated_at",
        dates=dates,
    )


def located_in(commune_field: str) -> Callable[[list[str]], Q]:
    """Rows whose marker lies in a current commune whose ``commune_field`` is one of the codes."""

    def condition(codes: list[str]) -> Q:
        communes = Commune.objects.filter(CURRENT, **{f"{commune_field}__in": codes})
        return Q(Exists(communes.filter(boundary__covers=OuterRef("marker"))))

    return condition


PROPOSAL_COMMUNE_PATHS = {name: located_in(path) for name, path in COMMUNE_PATHS.items()}


def proposal_url() -> Concat:
    """Each proposal's page (``/propositions/42/``) in SQL."""
    before, after = reverse("proposal", kwargs={"pk": 0}).rsplit("0", 1)
    return Concat(Value(before), Cast("id", CharField()), Value(after), output_field=CharField())


def public_proposals(actors: Q) -> QuerySet:
    """Public proposals with a location (see geo_civic/participation/statuses.py); never their
    votes, their author or anything of the author's."""
    return Proposal.objects.filter(statuses.public(), marker__isnull=False).annotate(
        _url=proposal_url(),
        _shape=Lower(Func(F("location"), function="GeometryType", output_field=CharField())),
        _outcome=F("resolution__outcome"),
        _origin=Value("", output_field=CharField()),
    )


PROPOSAL_PROPERTIES = {
    "title": "title",
    "status": "status",
    "category": "category",
    "tags": "tags",
    "space": "space_id",
    "space_title": "space__title",
    "method": "method",
    "created_at": "created_at",
    "voting_at": "voting_at",
    "closes_at": "closes_at",
    "outcome": "_outcome",
    "shape": "_shape",
    "url": "_url",
}
PROPOSAL_FILTERS = {
    "space": ids("space_id", "participation space"),
    "status": choices("status", statuses.PUBLIC_VALUES, "statuses"),
    "category": words("category", "categories"),
    "tags": words("tags", "tags, any of them", overlap=True),
}
RESULT_PROPERTIES = {
    "proposal": "proposal_id",
    "proposal_title": "proposal_title",
    "space": "space_id",
    "code": "commune__code",
    "name": "commune__name",
    "method": "method",
    "outcome": "outcome",
    "commune_outcome": "commune_outcome",
    "too_few_votes": "too_few_votes",
    "voters": "voters",
    "for": "votes_for",
    "against": "votes_against",
    "blank": "votes_blank",
    "for_share": "for_share",
    "participation": "participation",
    "closed_at": "closed_at",
}


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            name="communes",
            title="Communes",
            description="Limites des communes en vigueur.",
            model=Commune,
            rows=lambda actors: Commune.objects.filter(CURRENT),
            geometry="boundary",
            geometry_type="MultiPolygon",
            properties=COMMUNE_PROPERTIES,
            territory_paths=COMMUNE_PATHS,
            search_fields=("name",),
            source_field="source",
            source_kind="communes",
            tile_order=("-area_km2", "id"),
            tile_geometry=commune_shape,
        ),
        actor_layer("actors", "Acteurs", "Tous les acteurs publiés."),
        actor_layer(
            "organisations", "Organisations", "Associations et organisations.", "organisation"
        ),
        actor_layer("projects", "Projets", "Projets locaux.", "project"),
        actor_layer("events", "Événements", "Événements.", "event", ("starts_at", "ends_at")),
        actor_layer("places", "Lieux", "Lieux partagés.", "place"),
        Layer(
            name="actors-per-commune",
            title="Acteurs par commune",
            description=(
                "Nombre d'acteurs publiés par commune, et pour 1 000 habitants quand la "
                "population est connue."
            ),
            model=Commune,
            rows=communes_with_actor_counts,
            geometry="boundary",
            geometry_type="MultiPolygon",
            properties={
                "code": "code",
                "name": "name",
                "departement": "departement_code",
                "population": "population",
                "actor_count": "actor_count",
                "per_1000": "per_1000",
            },
            territory_paths=COMMUNE_PATHS,
            search_fields=("name",),
            source_field="source",
            source_kind="communes",
            actor_filters=True,
            tile_order=("-area_km2", "id"),
            tile_geometry=commune_shape,
        ),
        Layer(
            name="proposals",
            title="Propositions",
            description=(
                "Propositions localisées des espaces de participation : en débat, au vote, "
                "décidées ou archivées (jamais les brouillons ni les propositions retirées)."
            ),
            model=Proposal,
            rows=public_proposals,
            geometry="marker",
            geometry_type="Point",
            properties=PROPOSAL_PROPERTIES,
            territory_paths=PROPOSAL_COMMUNE_PATHS,
            search_fields=("title", "category"),
            source_field="_origin",
            source_kind="actors",
            dates=("created_at", "closes_at"),
            row_filters=PROPOSAL_FILTERS,
        ),
        Layer(
            name="proposal-results",
            title="Résultats par commune",
            description=(
                "Résultat et participation des propositions closes d'un espace au-delà d'une "
                "commune, par commune de résidence des votants ; moins de 5 votants : « trop "
                "peu de votes », sans aucun chiffre (secret du vote)."
            ),
            model=CommuneResult,
            rows=lambda actors: CommuneResult.objects.all(),
            geometry="commune__boundary",
            geometry_type="MultiPolygon",
            properties=RESULT_PROPERTIES,
            territory_paths=ACTOR_COMMUNE_PATHS,
            search_fields=("commune__name", "proposal_title"),
            source_field="commune__source",
            source_kind="communes",
            tile_geometry=result_commune_shape,
            row_filters={
                "proposal": ids("proposal_id", "proposal"),
                "space": ids("space_id", "participation space"),
            },
        ),
    )
}


def get_layer(name: str) -> Layer | None:
    return LAYERS.get(name)
