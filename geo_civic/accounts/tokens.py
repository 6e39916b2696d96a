"""A person's app tokens: made with a label, listed and revoked by id (site and API alike)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken

from geo_civic.accounts.models import TokenLabel

MAX_LABEL = 100
MAX_AGENT = 200


@transaction.atomic
def create(user, label: str = "", user_agent: str = "") -> tuple[AuthToken, str]:
    """A new token for ``user``: the token text is returned once, and never kept. Their expired
    tokens go now (the API's authentication no longer sweeps them on every request)."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    instance, token = AuthToken.objects.create(user)
    TokenLabel.objects.create(
        token=instance,
        label=label.replace("\x00", "")[:MAX_LABEL],
        user_agent=user_agent.replace("\x00", "")[:MAX_AGENT],
    )
    return instance, token


def active(user) -> QuerySet:
    """``user``'s tokens not yet expired, newest first (tokens made elsewhere get a label)."""
    tokens = AuthToken.objects.filter(user=user).exclude(expiry__lt=timezone.now())
    missing = tokens.filter(label__isnull=True)
    TokenLabel.objects.bulk_create([TokenLabel(token=t) for t in missing])
    return (
        TokenLabel.objects.filter(token__in=tokens)
        .select_related("token")
        .order_by("-token__created", "-pk")
    )


def revoke(user, label_id: int) -> bool:
    """Revoke one of ``user``'s tokens by its id; False when it is not theirs (or gone)."""
    deleted, _ = AuthToken.objects.filter(user=user, label__pk=label_id).delete()
    return bool(deleted)
