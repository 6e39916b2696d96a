"""What a person is told, and how they want to be told.

A notification is created once per (person, key) by ``delivery.notify``; e-mail and push are
bookkeeping columns on it, so a retried job sees what was already sent and never sends it twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KINDS = (
    "news",
    "event",
    "initiative",
    "proposal_debate",
    "proposal_voting",
    "result",
    "nearby",
    "membership",
)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500)  # a site path, e.g. "/actualites/12"
    body = models.TextField(blank=True)
    key = models.CharField(max_length=100)  # de-duplication key, e.g. "activity:123"
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Delivery bookkeeping: set once the e-mail (alone or in a digest) or the push went out.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    pushed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="notification_once_per_user_and_key"
            )
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"
