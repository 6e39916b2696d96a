"""Actors: who does what in a commune (organisations, projects, events, places).

Privacy by default: an actor's contact e-mail and phone are private unless their ``*_public``
flag is set, and the owner and co-editors are never published. Only the fields listed by the
public layers (``layers/registry.py``) and :data:`PUBLIC_FIELDS` may leave the database.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models.expressions import RawSQL
from django.urls import reverse

from geo_civic.actors.names import actor_slug, name_key
from geo_civic.territories.models import Commune

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Une couleur s'écrit #RRGGBB, par exemple #2a9d8f.")
PHONE = RegexValidator(
    r"^\+?[0-9 .()-]{6,25}$", "Un numéro de téléphone ne contient que des chiffres, espaces, . - +"
)


# 0.01° is about 1.1 km north-south: enough to hide a home among its neighbours.
PRIVATE_GRID_DEGREES = 0.01


class Category(models.Model):
    """A node of the category tree; the map draws an actor with its first category's colour."""

    name = models.CharField("nom", max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    colour = models.CharField("couleur", max_length=7, default="#2a9d8f", validators=[COLOUR])
    icon = models.CharField("icône", max_length=50, blank=True, help_text="nom d'icône")

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name = "catégorie"

    def __str__(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "Une catégorie ne peut pas être son propre parent."}
                )
            ancestor = ancestor.parent


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

    class OrganisationType(models.TextChoices):
        ASSOCIATION = "association", "association"
        COLLECTIVE = "collective", "collectif"
        SOCIAL_ECONOMY = "social_economy", "entreprise de l'ESS"
        PUBLIC_SERVICE = "public_service", "service public"
        LOCAL_AUTHORITY = "local_authority", "collectivité"

    class ProjectStage(models.TextChoices):
        IDEA = "idea", "idée"
        STARTING = "starting", "en démarrage"
        RUNNING = "running", "en cours"
        FINISHED = "finished", "terminé"

    class PlaceType(models.TextChoices):
        SHARED_GARDEN = "shared_garden", "jardin partagé"
        THIRD_PLACE = "third_place", "tiers-lieu"
        AMAP = "amap", "point de retrait AMAP"
        REPAIR_CAFE = "repair_cafe", "repair café"
        OTHER = "other", "autre lieu"

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    name = models.CharField("nom", max_length=200)
    # Lower-case, accent-free name: likely duplicates share it and lie within 200 m.
    name_key = models.CharField(
        max_length=200, default="", db_default="", blank=True, editable=False, db_index=True
    )
    slug = models.SlugField(max_length=80, default="", db_default="", blank=True, editable=False)
    summary = models.TextField("résumé", blank=True, max_length=2000)
    description = models.TextField(
        "description",
        default="",
        db_default="",
        blank=True,
        max_length=20000,
        help_text="Markdown: **gras**, listes, liens",
    )
    point = models.PointField("position", srid=4326)
    # A home address is a person's: published only as the centre of a ~1 km grid cell.
    location_is_private = models.BooleanField(
        "adresse personnelle (position montrée à 1 km près)", default=False, db_default=False
    )
    public_point = models.GeneratedField(
        expression=models.Case(
            models.When(
                location_is_private=True,
                then=models.Func(
                    "point",
                    models.Value(PRIVATE_GRID_DEGREES),
                    function="ST_SnapToGrid",
                    output_field=models.PointField(srid=4326),
                ),
            ),
            default=models.F("point"),
            output_field=models.PointField(srid=4326),
        ),
        output_field=models.PointField(srid=4326),
        db_persist=True,
        verbose_name="position publiée",
    )
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
    categories = models.ManyToManyField(
        Category, blank=True, related_name="actors", verbose_name="catégories"
    )
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    website = models.URLField("site web", blank=True, max_length=500)
    social_links = ArrayField(
        models.URLField(max_length=500),
        default=list,
        db_default="{}",
        blank=True,
        verbose_name="réseaux sociaux",
    )
    email = models.EmailField("e-mail de contact", default="", db_default="", blank=True)
    email_public = models.BooleanField(
        "e-mail visible publiquement", default=False, db_default=False
    )
    phone = models.CharField(
        "téléphone", default="", db_default="", max_length=25, blank=True, validators=[PHONE]
    )
    phone_public = models.BooleanField(
        "téléphone visible publiquement", default=False, db_default=False
    )
    opening_hours = models.TextField(
        "horaires d'ouverture", default="", db_default="", blank=True, max_length=1000
    )

    organisation_type = models.CharField(
        "type de structure",
        default="",
        db_default="",
        max_length=20,
        choices=OrganisationType.choices,
        blank=True,
    )
    project_stage = models.CharField(
        "avancement",
        default="",
        db_default="",
        max_length=20,
        choices=ProjectStage.choices,
        blank=True,
    )
    starts_at = models.DateTimeField("début", null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField("fin", null=True, blank=True)
    all_day = models.BooleanField("toute la journée", default=False, db_default=False)
    place_type = models.CharField(
        "type de lieu",
        default="",
        db_default="",
        max_length=20,
        choices=PlaceType.choices,
        blank=True,
    )

    source_key = models.CharField("source", max_length=100, blank=True)
    source_id = models.CharField("identifiant à la source", max_length=200, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    moderation_note = models.TextField(
        "motif de la décision",
        default="",
        db_default="",
        blank=True,
        max_length=2000,
        help_text="vu par l'auteur",
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="doublon probable de",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actors",
        verbose_name="propriétaire",
    )
    co_editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_edited_actors",
        verbose_name="co-éditeurs",
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
            ),
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="actor_event_ends_after_start",
            ),
        ]
        indexes = [
            GinIndex(fields=["tags"]),
            # Every public read (bbox, tiles, nearest) goes through the published position.
            GistIndex(fields=["public_point"], name="actor_public_point_gist"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.starts_at > self.ends_at:
            errors["ends_at"] = "La fin doit venir après le début."
        if self.kind == self.Kind.EVENT and not self.starts_at:
            errors["starts_at"] = "Un événement a une date de début."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        self.slug = actor_slug(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "slug"}
        super().save(*args, **kwargs)
        # The trigger may have changed the commune: read it back.
        self.refresh_from_db(fields=["commune"])

    def get_absolute_url(self) -> str:
        return reverse("actor-detail", kwargs={"pk": self.pk, "slug": self.slug or "acteur"})

    @property
    def public_address(self) -> str:
        return "" if self.location_is_private else self.address

    @property
    def public_email(self) -> str:
        return self.email if self.email_public else ""

    @property
    def public_phone(self) -> str:
        return self.phone if self.phone_public else ""

    def likely_duplicates(self) -> models.QuerySet:
        """Other live actors with the same name key within 200 m, measured on the sphere."""
        return (
            Actor.objects.filter(
                pk__in=RawSQL(NEAR_SAME_NAME_SQL, [self.point.ewkt, name_key(self.name)])
            )
            .exclude(pk=self.pk)
            .exclude(status__in=[self.Status.REJECTED, self.Status.ARCHIVED])
        )


NEAR_SAME_NAME_SQL = """
SELECT id FROM actors_actor
WHERE ST_DWithin(point::geography, ST_GeomFromEWKT(%s)::geography, 200) AND name_key = %s
"""

# Fields of an actor that may be shown to anyone (pages, API, exports); e-mail and phone only
# through ``public_email`` / ``public_phone``.
PUBLIC_FIELDS = (
    "kind", "name", "slug", "summary", "description", "public_address", "public_point", "commune",
    "categories",
    "tags", "website", "social_links", "opening_hours", "organisation_type", "project_stage",
    "starts_at", "ends_at", "all_day", "place_type", "created_at", "updated_at",
)  # fmt: skip
