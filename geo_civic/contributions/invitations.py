"""Sharing the editing of an entry with the holder of an e-mail address, by invitation.

The owner is told the same whether or not an account uses the address: the account, if any, gets
an e-mail with a link, and becomes a co-editor only when it accepts, so nothing the owner can see
changes until then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from geo_civic.actors.models import Actor
from geo_civic.contributions.permissions import can_moderate

SALT = "geo_civic.contributions.co-editor-invitation"


@dataclass(frozen=True)
class Invitation:
    actor_id: int
    inviter_id: int
    email: str


def invite(request: HttpRequest, actor: Actor, email: str) -> None:
    """E-mail an invitation to every account using ``email``; to no one if none does."""
    accounts = User.objects.filter(email__iexact=email, is_active=True)
    for account in accounts:
        token = signing.dumps(
            {"a": actor.pk, "i": request.user.pk, "e": account.email.lower()}, salt=SALT
        )
        context = {
            "account": account,
            "actor": actor,
            "inviter": request.user,
            "link": request.build_absolute_uri(
                reverse("actor-co-editor-accept", args=[actor.pk, token])
            ),
        }
        subject = render_to_string("contributions/invitation_subject.txt", context).strip()
        body = render_to_string("contributions/invitation_email.txt", context)
        send_mail(subject, body, None, [account.email])


def read_token(token: str, actor: Actor) -> Invitation | None:
    """The invitation a link carries, if genuine, recent, for this entry, and its inviter may
    still share it."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
        invitation = Invitation(int(data["a"]), int(data["i"]), str(data["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    inviter = User.objects.filter(pk=invitation.inviter_id, is_active=True).first()
    if invitation.actor_id != actor.pk or inviter is None:
        return None
    if actor.owner_id != inviter.pk and not can_moderate(inviter, actor):
        return None
    return invitation
