"""Territories: the communes that actors belong to."""

from django.contrib.gis.db import models
from django.db.models import FloatField, Func, Q
from django.utils.translation import gettext_lazy as _


class GeodesicAreaKm2(Func):
    """Area on the WGS 84 ellipsoid, in km² (PostGIS geography), never in square degrees."""

    template = "(ST_Area(%(expressions)s::geography) / 1000000.0)"
    output_field = FloatField()


class Commune(models.Model):
    """A municipality, keyed by country and official code (INSEE code in France)."""

    country = models.CharField(max_length=2, default="FR")
    code = models.CharField(_("INSEE code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    departement_code = models.CharField(_("department"), max_length=3, blank=True, db_index=True)
    region_code = models.CharField(_("region"), max_length=3, blank=True, db_index=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    boundary = models.MultiPolygonField(_("boundary"), srid=4326)
    area_km2 = models.GeneratedField(
        expression=GeodesicAreaKm2("boundary"),
        output_field=FloatField(),
        db_persist=True,
        verbose_name="superficie (km²)",
    )
    source = models.CharField(max_length=200, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    # Validity is the half-open interval [valid_from, valid_to): a retired commune keeps its row.
    valid_to = models.DateField(null=True, blank=True)
    # The commune that took over a retired one (communes nouvelles), set by the import.
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        verbose_name=_("successor"),
    )

    # From the official COG (``import_cog``): intercommunality and postal codes.
    epci = models.ForeignKey(
        "Epci",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communes",
        verbose_name="EPCI",
    )
    postal_codes = models.ManyToManyField(
        "PostalCode", blank=True, related_name="communes", verbose_name=_("postal codes")
    )

    class Meta:
        ordering = ["country", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="commune_country_code_unique")
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


CURRENT = Q(valid_to__isnull=True)


class Region(models.Model):
    """A French région (COG code, e.g. ``04`` La Réunion, ``94`` Corse)."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Departement(models.Model):
    """A French département (COG code, e.g. ``974``, ``2A``)."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An intercommunality with its own taxation (CC, CA, CU, métropole), keyed by SIREN."""

    code = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.name


class PostalCode(models.Model):
    """A postal code: one commune has several, and one code may span several communes."""

    code = models.CharField(max_length=5, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")

    def __str__(self) -> str:
        return self.code


def departement_of(code: str) -> str:
    """Département of a French INSEE commune code: ``97411`` → ``974``, ``2A004`` → ``2A``."""
    return code[:3] if code.startswith("97") else code[:2]


class CommuneShape(models.Model):
    """A commune boundary simplified for one zoom band, in Web Mercator, ready for tiles.

    Derived by ``territories.shapes.refresh_commune_shapes`` in the import transaction, never
    edited by hand; only current communes have shapes. Vector tiles read this table directly:
    its name and columns (commune_id, band, geom) are a contract.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="shapes")
    band = models.SmallIntegerField()
    geom = models.MultiPolygonField(srid=3857)

    class Meta:
        db_table = "territories_communeshape"
        constraints = [
            models.UniqueConstraint(fields=["band", "commune"], name="communeshape_band_commune")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} band {self.band}"
