"""Following a commune, an actor, a space, a proposal or a person; counts public, lists not.

A follower appears in a list only when their profile says so (``follows_public``); everyone
sees the count.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from geo_civic.actors.models import Actor
from geo_civic.participation.errors import Invalid
from geo_civic.participation.models import Proposal, Space, Status
from geo_civic.social.models import Follow, Subject
from geo_civic.territories.models import CURRENT, Commune


class NotFound(Invalid):
    status = 404
    title = "Not found"
    slug = "not-found"


def target_of(subject: str, value) -> int:
    """The id of the followed thing, checked to exist and be public; ``value`` as the API gets
    it: an INSEE code for a commune, a user name for a person, an id otherwise."""
    if subject == Subject.COMMUNE:
        found = Commune.objects.filter(CURRENT, code=str(value)).values_list("pk", flat=True)
    elif subject == Subject.USER:
        found = get_user_model().objects.filter(username=str(value), is_active=True)
        found = found.values_list("pk", flat=True)
    else:
        if isinstance(value, bool) or not str(value).isascii() or not str(value).isdigit():
            raise Invalid(f"{subject} is a whole number")
        ident = int(value)
        if subject == Subject.ACTOR:
            found = Actor.objects.filter(pk=ident, status=Actor.Status.PUBLISHED)
        elif subject == Subject.SPACE:
            found = Space.objects.filter(pk=ident)
        elif subject == Subject.PROPOSAL:
            found = Proposal.objects.filter(pk=ident).exclude(status=Status.DRAFT)
        else:
            raise Invalid(f"one cannot follow a {subject}")
        found = found.values_list("pk", flat=True)
    ident = found.first()
    if ident is None:
        raise NotFound(f"no {subject} {str(value)[:40]!r} to follow")
    return ident


def follow(user, subject: str, value) -> tuple[Follow, bool]:
    """The follow (and whether it is new); following twice is one follow."""
    target = target_of(subject, value)
    if subject == Subject.USER and target == user.pk:
        raise Invalid("one does not follow oneself")
    return Follow.objects.get_or_create(user=user, subject=subject, target_id=target)


def unfollow(user, follow_id: int) -> None:
    deleted, _ = Follow.objects.filter(pk=follow_id, user=user).delete()
    if not deleted:
        raise NotFound("you follow nothing with this id")


def follower_count(subject: str, target_id: int) -> int:
    return Follow.objects.filter(subject=subject, target_id=target_id).count()


def visible_followers(subject: str, target_id: int) -> QuerySet:
    """The followers who chose to be seen: never the others."""
    return get_user_model().objects.filter(
        follows__subject=subject, follows__target_id=target_id, profile__follows_public=True
    ).order_by("username")


def following(user, subject: str, target_id: int) -> Follow | None:
    if not user.is_authenticated:
        return None
    return Follow.objects.filter(user=user, subject=subject, target_id=target_id).first()
