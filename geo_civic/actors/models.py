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
from django.utils.translation import gettext_lazy as _

from geo_civic.actors.markdown_text import DESCRIPTION_MAX_LENGTH, render_markdown
from geo_civic.actors.names import actor_slug, name_key
from geo_civic.territories.models import Commune

COLOUR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("A colour is written #RRGGBB, for example #2a9d8f.")
)
PHONE = RegexValidator(
    r"^\+?[0-9 .()-]{6,25}$",
    _("A phone number contains only digits, spaces, . - +"),
)


# 0.01° is about 1.1 km north-south: enough to hide a home among its neighbours.
PRIVATE_GRID_DEGREES = 0.01


class Category(models.Model):
    """A node of the category tree; the map draws an actor with its first category's colour."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    colour = models.CharField(_("colour"), max_length=7, default="#2a9d8f", validators=[COLOUR])
    icon = models.CharField(_("icon"), max_length=50, blank=True, help_text=_("icon name"))

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be its own parent.")})
            ancestor = ancestor.parent


class Actor(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        PROJECT = "project", _("project")
        EVENT = "event", _("event")
        PLACE = "place", _("place")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("pending")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        ARCHIVED = "archived", _("archived")

    class OrganisationType(models.TextChoices):
        ASSOCIATION = "association", _("association")
        COLLECTIVE = "collective", _("collective")
        SOCIAL_ECONOMY = "social_economy", _("social economy company")
        PUBLIC_SERVICE = "public_service", _("public service")
        LOCAL_AUTHORITY = "local_authority", _("local authority")

    class ProjectStage(models.TextChoices):
        IDEA = "idea", _("idea")
        STARTING = "starting", _("starting")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    class PlaceType(models.TextChoices):
        SHARED_GARDEN = "shared_garden", _("shared garden")
        THIRD_PLACE = "third_place", _("third place")
        AMAP = "amap", _("AMAP pick-up point")
        REPAIR_CAFE = "repair_cafe", _("repair café")
        OTHER = "other", _("other place")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Lower-case, accent-free name: likely duplicates share it and lie within 200 m.
    name_key = models.CharField(
        max_length=200, default="", db_default="", blank=True, editable=False, db_index=True
    )
    slug = models.SlugField(max_length=80, default="", db_default="", blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    description = models.TextField(
        _("description"),
        default="",
        db_default="",
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Markdown: **bold**, lists, links"),
    )
    # The description rendered and sanitised when saved: a page view renders nothing.
    description_html = models.TextField(default="", db_default="", blank=True, editable=False)
    point = models.PointField(_("position"), srid=4326)
    # A home address is a person's: published only as the centre of a ~1 km grid cell.
    location_is_private = models.BooleanField(
        _("home address (position shown to about 1 km)"), default=False, db_default=False
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
    address = models.CharField(_("address"), max_length=300, blank=True)
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
        Category, blank=True, related_name="actors", verbose_name=_("categories")
    )
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=500)
    social_links = ArrayField(
        models.URLField(max_length=500),
        default=list,
        db_default="{}",
        blank=True,
        verbose_name=_("social networks"),
    )
    email = models.EmailField(_("contact e-mail"), default="", db_default="", blank=True)
    email_public = models.BooleanField(_("e-mail shown publicly"), default=False, db_default=False)
    phone = models.CharField(
        _("phone"), default="", db_default="", max_length=25, blank=True, validators=[PHONE]
    )
    phone_public = models.BooleanField(_("phone shown publicly"), default=False, db_default=False)
    opening_hours = models.TextField(
        _("opening hours"), default="", db_default="", blank=True, max_length=1000
    )

    organisation_type = models.CharField(
        _("type of organisation"),
        default="",
        db_default="",
        max_length=20,
        choices=OrganisationType.choices,
        blank=True,
    )
    project_stage = models.CharField(
        _("stage"),
        default="",
        db_default="",
        max_length=20,
        choices=ProjectStage.choices,
        blank=True,
    )
    starts_at = models.DateTimeField(_("start"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False, db_default=False)
    place_type = models.CharField(
        _("type of place"),
        default="",
        db_default="",
        max_length=20,
        choices=PlaceType.choices,
        blank=True,
    )

    source_key = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("identifier at the source"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    moderation_note = models.TextField(
        _("reason for the decision"),
        default="",
        db_default="",
        blank=True,
        max_length=2000,
        help_text=_("seen by the author"),
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("likely duplicate of"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actors",
        verbose_name=_("owner"),
    )
    co_editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_edited_actors",
        verbose_name=_("co-editors"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
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
            errors["ends_at"] = _("The end must come after the start.")
        if self.kind == self.Kind.EVENT and not self.starts_at:
            errors["starts_at"] = _("An event has a start date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        self.slug = actor_slug(self.name)
        self.render_description()
        if kwargs.get("update_fields") is not None:
            derived = {"name_key", "slug", "description_html"}
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        super().save(*args, **kwargs)
        # The trigger may have changed the commune: read it back.
        self.refresh_from_db(fields=["commune"])

    def render_description(self) -> None:
        """Fill ``description_html`` from ``description`` (saving does it; a preview calls it)."""
        self.description_html = render_markdown(self.description)

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
        """Published actors with the same name key within 200 m of their published position.

        Never the exact point of a home, nor an entry not published: whoever sees the answer
        could otherwise find a home by trying names at chosen places.
        """
        return Actor.objects.filter(
            pk__in=RawSQL(NEAR_SAME_NAME_SQL, [name_key(self.name), self.point.ewkt])
        ).exclude(pk=self.pk)


NEAR_SAME_NAME_SQL = """
SELECT id FROM actors_actor
WHERE status = 'published' AND name_key = %s
  AND ST_DWithin(public_point::geography, ST_GeomFromEWKT(%s)::geography, 200)
"""

# Fields of an actor that may be shown to anyone (pages, API, exports); e-mail and phone only
# through ``public_email`` / ``public_phone``.
PUBLIC_FIELDS = (
    "kind", "name", "slug", "summary", "description", "description_html", "public_address",
    "public_point", "commune", "categories",
    "tags", "website", "social_links", "opening_hours", "organisation_type", "project_stage",
    "starts_at", "ends_at", "all_day", "place_type", "created_at", "updated_at",
)  # fmt: skip


class Membership(models.Model):
    """A person's link to an actor (Communecter's links): member, contributor or attendee.

    Administrators are the actor's owner and co-editors (``Actor.co_editors``), kept where the
    contributions already read them; ``geo_civic.actors.membership`` is the one place that says
    who is a member (an administrator is one too). A request to join waits for an administrator.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        CONTRIBUTOR = "contributor", _("contributor")
        ATTENDEE = "attendee", _("attendee")

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACTIVE = "active", _("active")

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(fields=["actor", "user"], name="membership_once_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.actor} ({self.role}, {self.state})"
