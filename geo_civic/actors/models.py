"""Actors: who does what in a commune (organisations, projects, events, places)."""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex

from geo_civic.territories.models import Commune


class Actor(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "organisation"
        PROJECT = "project", "projet"
        EVENT = "event", "événement"
        PLACE = "place", "lieu"

    class Status(models.TextChoices):
        DRAFT = "draft", "brouillon"
        PENDING = "pending", "en attente"
        PUBLISHED = "published", "publié"
        REJECTED = "rejected", "refusé"
        ARCHIVED = "archived", "archivé"

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    name = models.CharField("nom", max_length=200)
    summary = models.TextField("résumé", blank=True, max_length=2000)
    point = models.PointField("position", srid=4326)
    address = models.CharField("adresse", max_length=300, blank=True)
    # Set by the database trigger from the point (ST_Covers), never typed by hand.
    commune = models.ForeignKey(
        Commune,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="actors",
    )
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    website = models.URLField("site web", blank=True, max_length=500)
    source_key = models.CharField("source", max_length=100, blank=True)
    source_id = models.CharField("identifiant à la source", max_length=200, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "source_id"],
                condition=~models.Q(source_id=""),
                name="actor_source_unique",
            )
        ]
        indexes = [GinIndex(fields=["tags"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # The trigger may have changed the commune: read it back.
        self.refresh_from_db(fields=["commune"])
