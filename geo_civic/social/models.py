"""People and what they follow: profiles, follows, news, and the activity table the feed reads.

An activity is stored once per event, with its subjects (commune, actor, space, proposal,
person) in :class:`ActivitySubject`, indexed by (subject, time): a feed reads the newest
activities of each followed subject from that index in one query, with no per-follower copy.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune


class Subject(models.TextChoices):
    """What can be followed, and what an activity is about."""

    COMMUNE = "commune", _("commune")
    ACTOR = "actor", _("actor")
    SPACE = "space", _("participation space")
    PROPOSAL = "proposal", _("proposal")
    USER = "user", _("person")


class Profile(models.Model):
    """What a person shows of themselves: each item private until they make it public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    display_name_public = models.BooleanField(_("show my display name"), default=False)
    bio_public = models.BooleanField(_("show my bio"), default=False)
    commune_public = models.BooleanField(_("show my commune"), default=False)
    memberships_public = models.BooleanField(_("show the actors I am part of"), default=False)
    contributions_public = models.BooleanField(_("show my contributions"), default=False)
    follows_public = models.BooleanField(
        _("show me in follower lists and show what I follow"), default=False
    )

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    subject = models.CharField(max_length=10, choices=Subject.choices)
    target_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subject", "target_id"], name="follow_once_per_user"
            )
        ]
        # Follower counts and the fan-out read followers by subject.
        indexes = [models.Index(fields=["subject", "target_id"], name="follow_subject_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.subject} {self.target_id}"


class News(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="news")
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="news"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="news",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000, help_text="Markdown")
    body_html = models.TextField(editable=False, blank=True)
    location = models.PointField(srid=4326, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # The moderator's reason, shown to the author (and the moderators) only.
    moderation_note = models.TextField(_("moderation note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("news")
        verbose_name_plural = _("news")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/actualites/{self.pk}/"


class NewsImage(models.Model):
    """An uploaded picture, re-encoded without its metadata, kept in a few widths."""

    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="images")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # {"320": "news/…-320.jpg", "640": …}: one stored file per width.
    files = models.JSONField(default=dict)
    alt = models.CharField(max_length=300, blank=True)


class NewsComment(models.Model):
    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    body = models.TextField(max_length=5000)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class NewsReport(models.Model):
    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.TextField(max_length=2000)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)


class Activity(models.Model):
    """One row per event worth telling: news published, an event or initiative published, a
    proposal entering debate or vote, a result."""

    class Verb(models.TextChoices):
        NEWS = "news", _("news")
        EVENT = "event", _("new event")
        INITIATIVE = "initiative", _("new initiative")
        PROPOSAL_DEBATE = "proposal_debate", _("proposal in debate")
        PROPOSAL_VOTING = "proposal_voting", _("proposal in vote")
        RESULT = "result", _("result")

    verb = models.CharField(max_length=20, choices=Verb.choices)
    # Recording the same event twice makes one row: "news:12", "proposal:5:voting".
    key = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.CASCADE)
    space_id = models.BigIntegerField(null=True, blank=True)
    proposal_id = models.BigIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    news = models.ForeignKey(News, null=True, blank=True, on_delete=models.CASCADE)
    location = models.PointField(srid=4326, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.verb}: {self.title}"


class ActivitySubject(models.Model):
    """An activity under one of its subjects, with its time copied for the feed's index."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="subjects")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    target_id = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "subject", "target_id"], name="activity_subject_once"
            )
        ]
        indexes = [
            models.Index(
                "subject", "target_id", models.F("created_at").desc(),
                models.F("activity").desc(), name="activity_subject_feed_idx",
            )  # fmt: skip
        ]
