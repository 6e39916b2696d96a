"""What each bulk import did, kept for the data stewards and shown in the admin."""

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One committed import: where the data came from, with which options, and what changed.

    Written in the import's own transaction, so it exists exactly when the import took effect
    (a failed import or a dry run leaves the database, this table included, as it was).
    """

    kind = models.CharField("type", max_length=20)  # "communes", "cog", …
    source = models.CharField(max_length=500)
    checksum = models.CharField("sha256", max_length=64, blank=True)
    options = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField("début", auto_now_add=True)
    duration_s = models.FloatField("durée (s)")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "import"

    def __str__(self) -> str:
        return f"{self.kind} {self.source} ({self.started_at:%Y-%m-%d %H:%M})"


class ImportJob(models.Model):
    """A large upload imported by a worker: the steward polls it for the same report an
    import answers in the request. Its files wait in the storage (shared between machines)."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    kind = models.CharField(max_length=20)  # "communes" or "actors"
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    folder = models.CharField(max_length=200)  # in the default storage
    files = models.JSONField(default=list)  # the names saved under ``folder``
    fields = models.JSONField(default=dict)  # the form's options, as sent
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import job"

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"
