"""What residents and moderators do to actors: every change kept, reports, moderation scopes.

Roles are Django groups: ``moderators`` review contributions (a :class:`ModeratorScope` may limit
one to some communes), ``trusted`` contributors publish without review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune

MODERATORS = "moderators"
TRUSTED = "trusted"

# The fields a revision keeps: everything a contributor or moderator may change.
TRACKED_FIELDS = (
    "kind", "name", "summary", "description", "address", "location_is_private", "website",
    "social_links", "email",
    "email_public", "phone", "phone_public", "opening_hours", "organisation_type",
    "project_stage", "starts_at", "ends_at", "all_day", "place_type", "tags", "status",
    "moderation_note",
)  # fmt: skip


class ActorRevision(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("creation")
        EDITED = "edited", _("edit")
        APPROVED = "approved", _("publication")
        REJECTED = "rejected", _("rejection")
        ARCHIVED = "archived", _("archiving")
        REVERTED = "reverted", _("back to a version")

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.TextField(blank=True, max_length=2000)
    # The actor as it was after this change: tracked fields, point (WKT) and category ids.
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("version")

    def __str__(self) -> str:
        return f"{self.actor} – {self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Report(models.Model):
    """Anyone, signed in or not, can say that an entry is wrong, outdated or abusive."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.TextField(_("reason"), max_length=2000)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")

    def __str__(self) -> str:
        return f"{self.actor}: {self.reason[:60]}"


class ModeratorScope(models.Model):
    """Limits a moderator to some communes; a moderator without a scope moderates everywhere."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_scope"
    )
    communes = models.ManyToManyField(Commune, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.communes.count()} communes"
