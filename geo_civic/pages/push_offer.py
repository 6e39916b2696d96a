"""Notifications offered at a useful moment: right after a person follows something.

Not on a first visit (a permission asked for nothing is refused for good): once someone follows a
commune, an actor or a proposal, its news have somewhere to go, so the message confirming the
follow links to the page whose button subscribes this device (notifications/push.js).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from geo_civic.notifications.models import PushSubscription


def confirm_follow(request: HttpRequest) -> None:
    """The follow's confirmation, with the offer of notifications if no device has them yet."""
    text = _("You follow this: its news come to your feed.")
    if PushSubscription.objects.filter(user=request.user).exists():
        messages.success(request, text)
        return
    messages.success(
        request,
        format_html(
            '{} <a href="{}" class="offer-push">{}</a>',
            text,
            reverse("notification-preferences") + "#push-subscribe",
            _("Also receive them as notifications on this device"),
        ),
    )
