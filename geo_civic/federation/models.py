"""What federation keeps: our actors' keys, the remote actors we met, who follows whom, and every
delivery to a remote inbox (visible in the admin with its last error).

A local actor is named by ``(local_kind, local_key)``: ("commune", INSEE code), ("actor", id) or
("space", id) — see :mod:`geo_civic.federation.local`.
"""

from django.db import models
from django.utils.translation import pgettext_lazy

# Labels in their own context ("fediverse"): another app may translate "follower" otherwise.


class LocalKind(models.TextChoices):
    COMMUNE = "commune", pgettext_lazy("fediverse", "commune")
    ACTOR = "actor", pgettext_lazy("fediverse", "actor")
    SPACE = "space", pgettext_lazy("fediverse", "participation space")
    SITE = "site", pgettext_lazy("fediverse", "this server")


class KeyPair(models.Model):
    """The RSA key a local actor signs with; the private half never leaves the database."""

    local_kind = models.CharField(max_length=10, choices=LocalKind.choices)
    local_key = models.CharField(max_length=20)
    private_pem = models.TextField()
    public_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_kind", "local_key"], name="keypair_local_unique")
        ]

    def __str__(self) -> str:
        return f"{self.local_kind}:{self.local_key}"


class RemoteActor(models.Model):
    """A fediverse actor we fetched (SSRF-safe), with the key its signatures are checked with."""

    uri = models.URLField(max_length=500, unique=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    key_id = models.URLField(max_length=500, db_index=True)
    public_key_pem = models.TextField()
    username = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("fediverse", "remote actor")
        verbose_name_plural = pgettext_lazy("fediverse", "remote actors")

    def __str__(self) -> str:
        return self.uri

    @property
    def delivery_inbox(self) -> str:
        """Where to deliver: the server's shared inbox when it has one (one POST per server)."""
        return self.shared_inbox or self.inbox


class Follower(models.Model):
    """A remote actor following a local one. Private: only counted in public documents."""

    local_kind = models.CharField(max_length=10, choices=LocalKind.choices)
    local_key = models.CharField(max_length=20)
    remote = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows")
    follow_id = models.URLField(max_length=500, blank=True)
    accepted = models.BooleanField(default=False)
    # Our origin (scheme://host) the Follow reached, used for ids when GEO_CIVIC_DOMAIN is unset.
    local_origin = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("fediverse", "follower")
        verbose_name_plural = pgettext_lazy("fediverse", "followers")
        constraints = [
            models.UniqueConstraint(
                fields=["local_kind", "local_key", "remote"], name="follower_unique"
            )
        ]
        indexes = [models.Index(fields=["local_kind", "local_key"])]

    def __str__(self) -> str:
        return f"{self.remote} → {self.local_kind}:{self.local_key}"


class Delivery(models.Model):
    """One activity to one remote inbox, signed by one local actor; a job posts it (retried)."""

    activity_id = models.URLField(max_length=600)
    activity = models.JSONField()
    inbox = models.URLField(max_length=500)
    local_kind = models.CharField(max_length=10, choices=LocalKind.choices)
    local_key = models.CharField(max_length=20)
    key_id = models.URLField(max_length=500)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("fediverse", "delivery")
        verbose_name_plural = pgettext_lazy("fediverse", "deliveries")
        constraints = [
            models.UniqueConstraint(fields=["activity_id", "inbox"], name="delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.inbox}"
