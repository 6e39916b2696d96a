"""Who may do what with an actor."""

from __future__ import annotations

from django.db.models import QuerySet

from geo_civic.actors.membership import administered_actors, is_administrator
from geo_civic.actors.models import Actor
from geo_civic.contributions.models import MODERATORS, TRUSTED, ModeratorScope


def in_group(user, name: str) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=name).exists())


def is_moderator(user) -> bool:
    return in_group(user, MODERATORS)


def _scope(user) -> ModeratorScope | None:
    """The scope limiting a moderator, None when they moderate everywhere (superusers do)."""
    if user.is_superuser:
        return None
    return ModeratorScope.objects.filter(user=user).first()


def moderated_actors(user) -> QuerySet:
    """The actors ``user`` moderates: all, or those in the communes of their scope.

    A scope left without communes limits its moderator to nothing, not to everything: removing
    a moderator's last commune must not make them a moderator everywhere.
    """
    if not is_moderator(user):
        return Actor.objects.none()
    # A draft is its author's alone until submitted: no moderator reads, edits or publishes it.
    submitted = Actor.objects.exclude(status=Actor.Status.DRAFT)
    scope = _scope(user)
    if scope is None:
        return submitted
    return submitted.filter(commune__in=scope.communes.all())


def publishes_directly(user, commune_id: int | None) -> bool:
    """Trusted contributors publish without review anywhere; moderators only where they moderate
    (else a moderator of one commune would publish unreviewed in all the others)."""
    if in_group(user, TRUSTED):
        return True
    if not is_moderator(user):
        return False
    scope = _scope(user)
    return scope is None or scope.communes.filter(pk=commune_id).exists()


def can_moderate(user, actor: Actor) -> bool:
    return moderated_actors(user).filter(pk=actor.pk).exists()


def can_edit(user, actor: Actor) -> bool:
    if not user.is_authenticated:
        return False
    return is_administrator(user, actor) or can_moderate(user, actor)


def can_view(user, actor: Actor) -> bool:
    """Published entries are public; the others only to their editors and moderators."""
    return actor.status == Actor.Status.PUBLISHED or can_edit(user, actor)


def editable_actors(user) -> QuerySet:
    return administered_actors(user)
