"""A person's own notifications: what is unread, marking read. Always filtered by owner."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from geo_civic.notifications.models import Notification


def of(user, *, unread: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first (the (user, -created_at) index)."""
    found = Notification.objects.filter(user=user)
    if unread:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-id")


def unread_count(user) -> int:
    """One indexed count, for the site header."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark some (``ids``) or all of the person's notifications read; others' ids are ignored."""
    found = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        found = found.filter(pk__in=list(ids))
    return found.update(read_at=timezone.now())
