"""Profiles, and the GDPR rights: an account's export (to itself only) and its deletion.

A profile shows the user name always (it signs contributions), and each other item (display
name, bio, commune, the actors one is part of, contributions, follows) only once its owner made
it public.
Deleting an account anonymises it rather than removing its row: what it contributed (entries,
news, comments, proposals, ballots already counted) stays, tied to no one; everything personal
(e-mail, names, residence, profile, follows, memberships, tokens) is erased.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from knox.models import AuthToken

from geo_civic.actors.membership import member_actors
from geo_civic.actors.models import Actor, Membership
from geo_civic.participation.errors import Invalid
from geo_civic.participation.models import AmendmentVote, Comment, Proposal, Residence, Vote
from geo_civic.social.models import Follow, News, NewsComment, Profile, Subject

PUBLIC_SWITCHES = ("display_name_public", "bio_public", "commune_public", "memberships_public",
                   "contributions_public", "follows_public")  # fmt: skip


def profile_of(user) -> Profile:
    return Profile.objects.get_or_create(user=user)[0]


def public_profile(person, viewer=None) -> dict:
    """What anyone may see of ``person``; everything for ``person`` themselves."""
    profile = profile_of(person)
    own = viewer is not None and viewer.is_authenticated and viewer.pk == person.pk
    data = {
        "username": person.get_username(),
        "display_name": (profile.display_name if own or profile.display_name_public else "")
        or person.get_username(),
        "followers": Follow.objects.filter(subject=Subject.USER, target_id=person.pk).count(),
    }
    if own or profile.bio_public:
        data["bio"] = profile.bio
    if own or profile.commune_public:
        residence = Residence.objects.filter(user=person).select_related("commune").first()
        data["commune"] = (
            {"code": residence.commune.code, "name": residence.commune.name}
            if residence and residence.commune else None
        )  # fmt: skip
    if own or profile.memberships_public:
        data["actors"] = [
            {"id": actor.pk, "name": actor.name, "url": actor.get_absolute_url()}
            for actor in member_actors(person).filter(status=Actor.Status.PUBLISHED)[:200]
        ]
    if own or profile.contributions_public:
        data["contributions"] = {
            "actors": [
                {"id": a.pk, "name": a.name, "url": a.get_absolute_url()}
                for a in Actor.objects.filter(owner=person, status=Actor.Status.PUBLISHED)[:200]
            ],
            "news": [
                {"id": n.pk, "title": n.title, "url": n.get_absolute_url()}
                for n in News.objects.filter(author=person, status=News.Status.PUBLISHED)[:200]
            ],
        }
    if own:
        data["settings"] = {name: getattr(profile, name) for name in PUBLIC_SWITCHES}
    return data


def update_profile(user, data: dict) -> Profile:
    """Set display name, bio and the public switches; unknown or malformed keys refused."""
    if not isinstance(data, dict):
        raise Invalid("the body is a JSON object")
    known = {"display_name", "bio", *PUBLIC_SWITCHES}
    unknown = sorted(set(data) - known)
    if unknown:
        raise Invalid(f"unknown field {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    profile = profile_of(user)
    for name, limit in (("display_name", 100), ("bio", 1000)):
        if name in data:
            value = data[name]
            if not isinstance(value, str) or "\x00" in value or len(value.strip()) > limit:
                raise Invalid(f"{name} is a text of at most {limit} characters")
            setattr(profile, name, value.strip())
    for name in PUBLIC_SWITCHES:
        if name in data:
            if not isinstance(data[name], bool):
                raise Invalid(f"{name} is true or false")
            setattr(profile, name, data[name])
    profile.save()
    return profile


def export(user) -> dict:
    """Everything the database holds about ``user``, for ``user`` alone (GDPR art. 15 and 20)."""
    residence = Residence.objects.filter(user=user).select_related("commune").first()
    return {
        "account": {"username": user.get_username(), "email": user.email,
                    "first_name": user.first_name, "last_name": user.last_name,
                    "date_joined": user.date_joined.isoformat()},
        "profile": public_profile(user, user),
        "residence": None if residence is None else {
            "lon": residence.point.x, "lat": residence.point.y,
            "commune": residence.commune.code if residence.commune else None,
            "verified": residence.verified,
        },
        "follows": list(Follow.objects.filter(user=user).values("id", "subject", "target_id")),
        "memberships": list(Membership.objects.filter(user=user).values("actor", "role", "state")),
        "administered_actors": list(
            Actor.objects.filter(owner=user).values_list("pk", flat=True)
        ) + list(user.co_edited_actors.values_list("pk", flat=True)),
        "news": list(News.objects.filter(author=user).values("id", "title", "body", "status")),
        "news_comments": list(NewsComment.objects.filter(author=user).values("id", "news", "body")),
        "proposals": list(Proposal.objects.filter(author=user).values("id", "title", "status")),
        "comments": list(Comment.objects.filter(author=user).values("id", "proposal", "body")),
        "votes": list(Vote.objects.filter(voter=user).values(
            "proposal", "choice", "grades", "approvals")),
        "amendment_votes": list(AmendmentVote.objects.filter(voter=user).values(
            "amendment", "choice")),
    }  # fmt: skip


@transaction.atomic
def delete_account(user) -> None:
    """Erase what is personal, keep the contributions under an anonymous, unusable account."""
    Residence.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    Follow.objects.filter(subject=Subject.USER, target_id=user.pk).delete()
    Membership.objects.filter(user=user).delete()
    user.co_edited_actors.clear()
    Profile.objects.filter(user=user).delete()
    AuthToken.objects.filter(user=user).delete()
    user.username = f"deleted-{uuid.uuid4().hex[:12]}"
    user.email = user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # also ends every session (their hash no longer matches)
    user.save()
    user.groups.clear()


