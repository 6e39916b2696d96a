"""A GeoJSON Feature from an app, read into the site's contribution form (``ActorForm``), so an
entry is validated by the same rules whichever door it comes through."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from rest_framework import exceptions

from geo_civic.actors.models import Actor, Category
from geo_civic.contributions.forms import COMMON, SPECIFIC, ActorForm
from geo_civic.contributions.workflow import Refused

TEXT = {"name", "summary", "description", "address", "website", "email", "phone",
        "opening_hours", "organisation_type", "project_stage", "place_type"}  # fmt: skip
FLAGS = {"location_is_private", "email_public", "phone_public", "all_day"}
DATES = {"starts_at", "ends_at"}
LISTS = {"tags": "tags_text", "categories": "categories", "social_links": "social_links_text"}
MAX_LIST = 200


def _invalid(detail: str) -> exceptions.ValidationError:
    return exceptions.ValidationError(detail)


def feature_of(body) -> tuple[dict, dict | None, bool]:
    """The properties and geometry of a Feature body; whether it gave a ``geometry`` member."""
    if not isinstance(body, dict) or body.get("type") != "Feature":
        raise _invalid('an actor is a GeoJSON Feature: {"type": "Feature", "geometry", '
                       '"properties"}')  # fmt: skip
    properties = body.get("properties")
    if not isinstance(properties, dict):
        raise _invalid("properties is an object")
    unknown = set(body) - {"type", "geometry", "properties", "id"}
    if unknown:
        raise _invalid(f"unknown member(s) {', '.join(sorted(unknown))}")
    return properties, body.get("geometry"), "geometry" in body


def current_values(actor: Actor) -> dict:
    """The form's data for an existing entry: a partial update changes only what it names."""
    data = {name: getattr(actor, name) for name in TEXT | FLAGS}
    for name in DATES:
        value = getattr(actor, name)
        data[name] = value.isoformat() if value else ""
    data["categories"] = list(actor.categories.values_list("pk", flat=True))
    data["tags_text"] = ", ".join(actor.tags)
    data["social_links_text"] = "\n".join(actor.social_links)
    data["latitude"], data["longitude"] = actor.point.y, actor.point.x
    return data


def _point(geometry) -> tuple[float, float]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise _invalid("geometry is a GeoJSON Point (or null, to geocode properties.address)")
    coordinates = geometry.get("coordinates")
    if (
        not isinstance(coordinates, list)
        or len(coordinates) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
    ):
        raise _invalid("a Point's coordinates are [longitude, latitude]")
    try:
        GEOSGeometry(f"POINT({coordinates[0]!r} {coordinates[1]!r})")
    except (GEOSException, ValueError) as error:
        raise _invalid("a Point's coordinates are finite numbers") from error
    return float(coordinates[0]), float(coordinates[1])


def _category_ids(slugs: list[str]) -> list[int]:
    found = dict(Category.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = sorted(set(slugs) - set(found))
    if unknown:
        raise Refused({"categories": [f"unknown category {', '.join(unknown)}"]})
    return [found[slug] for slug in slugs]


def form_for(kind: str, properties: dict, geometry, has_geometry: bool,
             actor: Actor | None = None) -> ActorForm:  # fmt: skip
    """The site's form filled from a Feature (over the entry's current values when editing),
    validated: a refusal names each field and why."""
    elsewhere = {n for other, names in SPECIFIC.items() if other != kind for n in names}
    allowed = {*TEXT, *FLAGS, *DATES, *LISTS, "kind", "draft"} - (elsewhere - set(COMMON))
    unknown = sorted(set(properties) - allowed)
    if unknown:
        raise _invalid(f"unknown or not for a {kind}: {', '.join(unknown)}")
    data = current_values(actor) if actor is not None else {}
    for name, value in properties.items():
        if name in ("kind", "draft"):
            continue
        if name in TEXT:
            if not isinstance(value, str):
                raise _invalid(f"{name} is text")
            data[name] = value
        elif name in FLAGS:
            if not isinstance(value, bool):
                raise _invalid(f"{name} is true or false")
            data[name] = value
        elif name in DATES:
            if value is not None and not isinstance(value, str):
                raise _invalid(f"{name} is an ISO 8601 date-time or null")
            data[name] = value or ""
        else:
            if (
                not isinstance(value, list)
                or len(value) > MAX_LIST
                or not all(isinstance(item, str) for item in value)
            ):
                raise _invalid(f"{name} is a list of at most {MAX_LIST} texts")
            if name == "categories":
                data["categories"] = _category_ids(value)
            elif any(("," if name == "tags" else "\n") in item for item in value):
                raise _invalid(f"an item of {name} holds a separator")
            else:
                data[LISTS[name]] = (", " if name == "tags" else "\n").join(value)
    if has_geometry:
        if geometry is None:
            data.pop("latitude", None), data.pop("longitude", None)
        else:
            data["longitude"], data["latitude"] = _point(geometry)
    if any(isinstance(v, str) and "\x00" in v for v in data.values()):
        raise _invalid("text must not contain a NUL character")
    form = ActorForm(data, instance=actor or Actor(kind=kind), kind=kind)
    if not form.is_valid():
        raise Refused({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form


def kind_of(properties: dict) -> str:
    kind = properties.get("kind")
    if kind not in Actor.Kind.values:
        raise _invalid(f"properties.kind is one of {', '.join(Actor.Kind.values)}")
    return kind


def draft_of(properties: dict) -> bool:
    draft = properties.get("draft", False)
    if not isinstance(draft, bool):
        raise _invalid("draft is true or false")
    return draft
