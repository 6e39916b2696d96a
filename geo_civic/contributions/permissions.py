"""Who may do what with an actor."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from geo_civic.actors.models import Actor
from geo_civic.contributions.models import MODERATORS, TRUSTED, ModeratorScope


def in_group(user, name: str) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=name).exists())


def is_moderator(user) -> bool:
    return in_group(user, MODERATORS)


def is_trusted(user) -> bool:
    return in_group(user, TRUSTED) or is_moderator(user)


def moderated_actors(user) -> QuerySet:
    """The actors ``user`` moderates: all, or those in the communes of their scope."""
    if not is_moderator(user):
        return Actor.objects.none()
    scope = ModeratorScope.objects.filter(user=user).first()
    if user.is_superuser or scope is None or not scope.communes.exists():
        return Actor.objects.all()
    return Actor.objects.filter(commune__in=scope.communes.all())


def can_moderate(user, actor: Actor) -> bool:
    return moderated_actors(user).filter(pk=actor.pk).exists()


def can_edit(user, actor: Actor) -> bool:
    if not user.is_authenticated:
        return False
    if actor.owner_id == user.pk or actor.co_editors.filter(pk=user.pk).exists():
        return True
    return can_moderate(user, actor)


def can_view(user, actor: Actor) -> bool:
    """Published entries are public; the others only to their editors and moderators."""
    return actor.status == Actor.Status.PUBLISHED or can_edit(user, actor)


def editable_actors(user) -> QuerySet:
    return Actor.objects.filter(Q(owner=user) | Q(co_editors=user)).distinct()
