"""Addresses already geocoded: asked once of a service, then read from here."""

from django.contrib.gis.db import models


class GeocodedAddress(models.Model):
    query_key = models.CharField(max_length=500, unique=True)
    query = models.CharField(max_length=500)
    provider = models.CharField(max_length=30)
    label = models.CharField(max_length=500, blank=True)
    point = models.PointField(srid=4326)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "adresse géocodée"
        verbose_name_plural = "adresses géocodées"

    def __str__(self) -> str:
        return f"{self.query} → {self.label} ({self.provider})"
