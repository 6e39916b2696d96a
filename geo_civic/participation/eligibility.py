"""Who may take part in a space, and who runs it.

Taking part (propose, comment, amend, vote) follows the space's eligibility: everyone signed
in, residents of its territory, verified residents, or members of its actor (for now the actor's
owner and co-editors: a membership model comes with the social issue). Running a space (opening
it, moving proposals on, verifying residents) belongs to the moderators whose scope covers the
whole territory, and for an actor's space to the actor's owner and co-editors too.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef

from geo_civic.actors.membership import is_administrator, is_member
from geo_civic.contributions.models import ModeratorScope
from geo_civic.contributions.permissions import is_moderator
from geo_civic.participation.errors import NotEligible
from geo_civic.participation.models import Eligibility, Residence, Space
from geo_civic.participation.territory import communes_of


def moderates_communes(user, commune_ids: list[int]) -> bool:
    """A moderator whose scope covers every one of ``commune_ids`` (unscoped: everywhere)."""
    if not is_moderator(user):
        return False
    if user.is_superuser:
        return True
    scope = ModeratorScope.objects.filter(user=user).first()
    if scope is None:
        return True
    if not commune_ids:
        return False
    return scope.communes.filter(pk__in=commune_ids).count() == len(set(commune_ids))


def runs(user, space: Space) -> bool:
    """May move the space's proposals on, withdraw them, hide comments."""
    if not user.is_authenticated:
        return False
    if space.actor_id and is_administrator(user, space.actor):
        return True
    return moderates_communes(user, list(communes_of(space).values_list("pk", flat=True)))


def residence_of(user) -> Residence | None:
    if not user.is_authenticated:
        return None
    return Residence.objects.filter(user=user).select_related("commune").first()


def _residence_within(user, space: Space) -> Residence | None:
    """``user``'s residence, with ``inside``: whether its commune belongs to ``space``'s territory.
    One query (the residence, its commune and the territory test), not three: a ballot is the hot
    path of a consultation (bench/participation.py)."""
    inside = Exists(communes_of(space).filter(pk=OuterRef("commune_id")))
    # Only the commune's name (for a refusal), never its boundary, nor the point.
    fields = ("id", "user_id", "commune_id", "verified")
    return (
        Residence.objects.filter(user=user)
        .only(*fields)
        .annotate(inside=inside, commune_name=F("commune__name"))
        .first()
    )


def _judge(user, space: Space) -> tuple[str | None, Residence | None]:
    """Why ``user`` may not take part in ``space`` (None when they may), and their residence."""
    if not user.is_authenticated:
        return "sign in to take part", None
    residence = _residence_within(user, space)
    if space.eligibility == Eligibility.EVERYONE:
        return None, residence
    if space.eligibility == Eligibility.MEMBERS:
        if space.actor_id and is_member(user, space.actor):
            return None, residence
        return "only members of the actor take part in this space", residence
    if residence is None or residence.commune_id is None:
        return "only residents take part in this space: say where you live first", residence
    if not residence.inside:
        return (
            f"only residents of the territory take part in this space; "
            f"you live in {residence.commune_name}"
        ), residence
    if space.eligibility == Eligibility.VERIFIED_RESIDENTS and not residence.verified:
        return (
            "only verified residents take part in this space: a moderator of your commune "
            "verifies residents"
        ), residence
    return None, residence


def refusal(user, space: Space) -> str | None:
    """Why ``user`` may not take part in ``space``, or None when they may."""
    return _judge(user, space)[0]


def require_taking_part(user, space: Space) -> Residence | None:
    """The voter's residence (None when they have none and the space needs none); raises
    NotEligible with why."""
    reason, residence = _judge(user, space)
    if reason is not None:
        raise NotEligible(reason)
    return residence
