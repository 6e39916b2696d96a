"""Who belongs to an actor: the one definition every app reads ("member" means one thing).

An *administrator* is the actor's owner or a co-editor: they manage its page, its spaces and its
news. A *member* is an administrator or anyone whose membership (member, contributor, attendee)
an administrator accepted. Moderators are not members: they act through their own rights.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from geo_civic.actors.models import Actor, Membership


def is_administrator(user, actor: Actor) -> bool:
    if not user.is_authenticated:
        return False
    return actor.owner_id == user.pk or actor.co_editors.filter(pk=user.pk).exists()


def is_member(user, actor: Actor) -> bool:
    if not user.is_authenticated:
        return False
    if is_administrator(user, actor):
        return True
    return Membership.objects.filter(
        actor=actor, user=user, state=Membership.State.ACTIVE
    ).exists()


def administered_actors(user) -> QuerySet:
    """The actors ``user`` administers (owner or co-editor)."""
    return Actor.objects.filter(Q(owner=user) | Q(co_editors=user)).distinct()


def member_actors(user) -> QuerySet:
    """The actors ``user`` belongs to, in any role."""
    active = Membership.objects.filter(user=user, state=Membership.State.ACTIVE)
    return Actor.objects.filter(
        Q(owner=user) | Q(co_editors=user) | Q(pk__in=active.values("actor"))
    ).distinct()


def member_count(actor: Actor) -> int:
    """How many people belong to ``actor``: the base of its members' votes."""
    return member_ids(actor).count()


def member_ids(actor: Actor) -> QuerySet:
    """The ids of the accounts that belong to ``actor`` (administrators included), each once."""
    from django.contrib.auth import get_user_model

    active = Membership.objects.filter(actor=actor, state=Membership.State.ACTIVE)
    return (
        get_user_model()
        .objects.filter(
            Q(pk=actor.owner_id) | Q(co_edited_actors=actor) | Q(pk__in=active.values("user"))
        )
        .values("pk")
        .distinct()
    )
