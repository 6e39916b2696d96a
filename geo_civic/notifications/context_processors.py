"""The unread count in the site header: counted only if a page shows it, once per request."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import cached_property

from geo_civic.notifications import inbox


class UnreadCount:
    """``{{ unread_notifications.value }}``: one indexed count, on first use only."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def value(self) -> int:
        return inbox.unread_count(self.user)


def unread_notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadCount(user)}
