"""Making spaces and proposals: every rule checked before anything is written.

A proposal starts as a draft with version 1 of its text; its location, when given, must lie
within the space's territory; its options are the choices of a judgement or the projects of a
participatory budget.
"""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from geo_civic.actors.models import Actor
from geo_civic.participation.eligibility import is_member, moderates_communes, require_taking_part
from geo_civic.participation.errors import Invalid, NotAllowed
from geo_civic.participation.models import (
    THRESHOLDS,
    Eligibility,
    Method,
    Option,
    Proposal,
    Space,
    Status,
    Transition,
    Version,
)
from geo_civic.participation.territory import check_within, communes_of, population_of

MAX_OPTIONS = 50
LOCATION_TYPES = ("Point", "Polygon", "MultiPolygon")


def _text(value, name: str, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(f"{name} must be text")
    value = value.strip()
    if required and not value:
        raise Invalid(f"{name} is required")
    if len(value) > limit:
        raise Invalid(f"{name} is longer than {limit} characters")
    return value


def _threshold(value) -> int:
    if value not in THRESHOLDS or isinstance(value, bool):
        raise Invalid(f"threshold must be one of {', '.join(map(str, THRESHOLDS))}")
    return value


def _quorum(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise Invalid("quorum is a whole percentage from 1 to 100, or null")
    return value


def _may_open(user, space: Space) -> bool:
    if space.actor_id:
        return is_member(user, space.actor) or moderates_communes(
            user, [space.actor.commune_id] if space.actor.commune_id else []
        )
    return moderates_communes(user, list(communes_of(space).values_list("pk", flat=True)))


def create_space(user, space: Space) -> Space:
    """Open ``space`` (unsaved, its territory or actor set) if ``user`` may."""
    if not user.is_authenticated:
        raise NotAllowed("sign in to open a space")
    space.title = _text(space.title, "title", 200)
    space.description = _text(space.description, "description", 20000, required=False)
    if space.eligibility not in Eligibility.values:
        raise Invalid(f"eligibility must be one of {', '.join(Eligibility.values)}")
    if space.eligibility == Eligibility.MEMBERS and not space.actor_id:
        raise Invalid("only an actor's space is limited to its members")
    if space.method not in Method.values:
        raise Invalid(f"method must be one of {', '.join(Method.values)}")
    _threshold(space.threshold)
    _quorum(space.quorum)
    if space.actor_id and space.actor.status != Actor.Status.PUBLISHED:
        raise Invalid("this actor is not published")
    if not space.actor_id and not communes_of(space).exists():
        raise Invalid("this territory has no current commune")
    if not _may_open(user, space):
        raise NotAllowed(
            "only a moderator of the whole territory, or the actor's owners, open a space"
        )
    space.created_by = user
    space.save()
    return space


def _options(method: str, raw, budget) -> list[Option]:
    if method == Method.MAJORITY:
        if raw:
            raise Invalid("a for/against vote has no options")
        return []
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_OPTIONS:
        raise Invalid(f"options: a list of 2 to {MAX_OPTIONS} choices")
    options = []
    for position, item in enumerate(raw):
        item = {"label": item} if isinstance(item, str) else item
        if not isinstance(item, dict):
            raise Invalid("each option is a label or {\"label\", \"cost\"}")
        label = _text(item.get("label"), "an option's label", 200)
        cost = item.get("cost")
        if method == Method.APPROVAL:
            if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
                raise Invalid("each project of a budget has a positive whole cost")
        else:
            cost = None
        options.append(Option(position=position, label=label, cost=cost))
    if method == Method.APPROVAL and (
        isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0
    ):
        raise Invalid("a participatory budget has an envelope: budget, a positive whole amount")
    return options


def _location(location: GEOSGeometry | None, space: Space) -> GEOSGeometry | None:
    if location is None:
        return None
    if location.geom_type not in LOCATION_TYPES:
        raise Invalid("the location is a point or an area (Polygon, MultiPolygon)")
    if location.srid not in (None, 4326):
        location.transform(4326)
    location.srid = 4326
    if not location.valid:
        raise Invalid(f"the area is not a valid shape: {location.valid_reason}")
    check_within(space, location)
    return location


def create_proposal(user, space: Space, data: dict, location: GEOSGeometry | None) -> Proposal:
    """A draft proposal in ``space`` by an eligible ``user``; nothing is written on refusal."""
    require_taking_part(user, space)
    method = data.get("method", space.method)
    if method not in Method.values:
        raise Invalid(f"method must be one of {', '.join(Method.values)}")
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and len(t) <= 100 for t in tags):
        raise Invalid("tags: a list of short texts")
    quorum = _quorum(data.get("quorum", space.quorum))
    if quorum is not None and not space.actor_id and population_of(space) is None:
        raise Invalid("a quorum needs the population of every commune (import_cog)")
    budget = data.get("budget")
    proposal = Proposal(
        space=space,
        author=user,
        title=_text(data.get("title"), "title", 200),
        body=_text(data.get("body"), "body", 50000),
        category=_text(data.get("category"), "category", 100, required=False),
        tags=tags[:20],
        method=method,
        threshold=_threshold(data.get("threshold", space.threshold)),
        quorum=quorum,
        budget=budget if method == Method.APPROVAL else None,
        location=_location(location, space),
    )
    options = _options(method, data.get("options"), budget)
    with transaction.atomic():
        proposal.save()
        for option in options:
            option.proposal = proposal
        Option.objects.bulk_create(options)
        Version.objects.create(proposal=proposal, number=1, body=proposal.body)
        Transition.objects.create(proposal=proposal, to_status=Status.DRAFT, by=user)
    return proposal
