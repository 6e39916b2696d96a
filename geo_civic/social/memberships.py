"""Joining an actor: a request an administrator accepts, or an administrator's invitation by
e-mail (a signed link, as the co-editor invitations of contributions).

Becoming an administrator stays the co-editor invitation of contributions: one way, one list.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from geo_civic.actors.membership import is_administrator, member_count
from geo_civic.actors.models import Actor, Membership
from geo_civic.notifications.delivery import notify
from geo_civic.participation.errors import Invalid, NotAllowed

SALT = "geo_civic.social.membership-invitation"


def _role(value) -> str:
    if value not in Membership.Role.values:
        raise Invalid(f"role is one of {', '.join(Membership.Role.values)}")
    return value


def request_to_join(user, actor: Actor, role=Membership.Role.MEMBER) -> Membership:
    """A request waiting for an administrator; attending an event needs none."""
    if not user.is_authenticated:
        raise NotAllowed("sign in to join")
    if actor.status != Actor.Status.PUBLISHED:
        raise Invalid("only a published actor takes members")
    role = _role(role)
    if role == Membership.Role.ATTENDEE and actor.kind != Actor.Kind.EVENT:
        raise Invalid("one attends events only")
    active = role == Membership.Role.ATTENDEE
    state = Membership.State.ACTIVE if active else Membership.State.REQUESTED
    membership, _created = Membership.objects.get_or_create(
        actor=actor, user=user, defaults={"role": role, "state": state}
    )
    return membership


@transaction.atomic
def accept(user, membership: Membership) -> Membership:
    if not is_administrator(user, membership.actor):
        raise NotAllowed("only the actor's administrators accept members")
    membership.state = Membership.State.ACTIVE
    membership.save(update_fields=["state"])
    notify(
        [membership.user_id], kind="membership", title=membership.actor.name,
        url=membership.actor.get_absolute_url(), key=f"membership:{membership.pk}",
    )  # fmt: skip
    return membership


def remove(user, membership: Membership) -> None:
    """The member leaves, or an administrator removes them (or declines the request)."""
    if user.pk != membership.user_id and not is_administrator(user, membership.actor):
        raise NotAllowed("only the member or the actor's administrators end a membership")
    membership.delete()


def invite(inviter, actor: Actor, email: str, role: str, link_for) -> None:
    """E-mail a signed link to every account using ``email`` (to no one if none does: the
    inviter learns nothing about who has an account). ``link_for(token)`` makes the URL."""
    if not is_administrator(inviter, actor):
        raise NotAllowed("only the actor's administrators invite")
    role = _role(role)
    for account in User.objects.filter(email__iexact=email.strip(), is_active=True):
        token = signing.dumps(
            {"a": actor.pk, "i": inviter.pk, "e": account.email.lower(), "r": role}, salt=SALT
        )
        send_mail(
            _("Invitation to join %(actor)s") % {"actor": actor.name},
            _("%(inviter)s invites you to join %(actor)s as %(role)s: %(link)s") % {
                "inviter": inviter.get_username(), "actor": actor.name,
                "role": Membership.Role(role).label, "link": link_for(token)},
            None, [account.email],
        )  # fmt: skip


@transaction.atomic
def accept_invitation(user, actor: Actor, token: str) -> Membership:
    """The invited account joins; a forged, stale or foreign link changes nothing."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
        actor_id, inviter_id = int(data["a"]), int(data["i"])
        email, role = str(data["e"]), data["r"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Invalid("this invitation is not valid (any more)") from None
    inviter = User.objects.filter(pk=inviter_id, is_active=True).first()
    if actor_id != actor.pk or inviter is None or not is_administrator(inviter, actor):
        raise Invalid("this invitation is not valid (any more)")
    if not user.is_authenticated or user.email.lower() != email:
        raise NotAllowed("this invitation is for another account: sign in with it")
    membership, _created = Membership.objects.update_or_create(
        actor=actor, user=user, defaults={"role": _role(role), "state": Membership.State.ACTIVE}
    )
    return membership


def listing(user, actor: Actor) -> dict:
    """The count for everyone; who and with which role only for the actor's administrators
    (being part of an actor is private to each person, see their profile's switches)."""
    data: dict = {"count": member_count(actor)}
    if is_administrator(user, actor):
        found = Membership.objects.filter(actor=actor).select_related("user").order_by("pk")
        data["memberships"] = [
            {"id": m.pk, "user": m.user.get_username(), "role": m.role, "state": m.state}
            for m in found
        ]
    return data
