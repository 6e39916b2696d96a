"""What each bulk import did, kept for the data stewards and shown in the admin."""

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
