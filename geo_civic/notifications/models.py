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


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("at once")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")
    NONE = "none", _("never")


class Preference(models.Model):
    """How a person wants to be told: per channel, optionally overridden per kind in ``kinds``
    (``{"news": {"email": "none", "push": true}}``). No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.DAILY)
    push = models.BooleanField(default=False)
    kinds = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}, push {self.push}"


class DigestSent(models.Model):
    """One digest per person and period ("daily:2026-11-28", "weekly:2026-W48"): the row is
    the proof the digest went out, so a retried or doubled job sends nothing again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.period}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (RFC 8030/8291): where to post and the keys to encrypt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:60]}"


class VapidKey(models.Model):
    """The server's VAPID key pair (RFC 8292), made on first use when settings give none."""

    private_pem = models.TextField()
    public_key = models.CharField(max_length=200)  # uncompressed P-256 point, base64url
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.public_key
