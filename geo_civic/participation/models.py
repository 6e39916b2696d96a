"""Local democracy: where residents live, the spaces they decide in, proposals and their votes.

Private forever: a residence's point (only its commune is used) and who voted what (only
aggregates leave the database, see ``results.py``). The rules live in the service modules
(``residence.py``, ``eligibility.py``, ``lifecycle.py``, ``voting.py``); models hold data.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune, Departement, Epci

THRESHOLDS = (50, 67, 75, 90)


class Residence(models.Model):
    """Where a person lives. The point never leaves the database; the trigger of migration 0002
    derives the commune from it (``ST_Covers``) and clears ``verified`` when the commune changes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residence"
    )
    point = models.PointField(srid=4326)
    commune = models.ForeignKey(
        Commune, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    verified = models.BooleanField(_("verified resident"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("residence")

    def __str__(self) -> str:
        return f"{self.user} – {self.commune}"


class Eligibility(models.TextChoices):
    EVERYONE = "everyone", _("everyone signed in")
    RESIDENTS = "residents", _("residents")
    VERIFIED_RESIDENTS = "verified_residents", _("verified residents")
    MEMBERS = "members", _("members of the actor")


class Method(models.TextChoices):
    MAJORITY = "majority", _("for / against / blank")
    JUDGEMENT = "judgement", _("majority judgement")
    APPROVAL = "approval", _("participatory budget (approval)")


TERRITORY_FIELDS = ("commune", "epci", "departement", "actor")


def _exactly_one_owner() -> Q:
    cases = Q(pk__in=[])
    for field in TERRITORY_FIELDS:
        case = Q(**{f"{field}__isnull": False})
        for other in TERRITORY_FIELDS:
            if other != field:
                case &= Q(**{f"{other}__isnull": True})
        cases |= case
    return cases


class Space(models.Model):
    """A participation space: a commune's, an EPCI's, a département's, or an actor's own."""

    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT)
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.PROTECT)
    departement = models.ForeignKey(Departement, null=True, blank=True, on_delete=models.PROTECT)
    # Members of an actor are its owner and co-editors until the social issue brings memberships.
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    eligibility = models.CharField(
        _("who may take part"), max_length=20, choices=Eligibility.choices
    )
    # Defaults of the proposals made in this space.
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.MAJORITY)
    threshold = models.PositiveSmallIntegerField(default=50)
    quorum = models.PositiveSmallIntegerField(null=True, blank=True, help_text="% of the base")
    debate_days = models.PositiveSmallIntegerField(default=14)
    voting_days = models.PositiveSmallIntegerField(default=14)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("participation space")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_owner(), name="space_one_owner"),
            models.CheckConstraint(
                condition=Q(threshold__in=THRESHOLDS), name="space_threshold_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    DEBATE = "debate", _("debate")
    VOTING = "voting", _("voting")
    CLOSED = "closed", _("closed")
    ARCHIVED = "archived", _("archived")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Proposal(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=50000, help_text="Markdown")
    category = models.CharField(max_length=100, blank=True)
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # A point or an area, within the space's territory (checked by PostGIS on the way in).
    location = models.GeometryField(srid=4326, null=True, blank=True)
    # Where the map draws it: the point itself, or a point inside the area (GiST-indexed).
    marker = models.GeneratedField(
        expression=models.Func(
            "location", function="ST_PointOnSurface", output_field=models.PointField(srid=4326)
        ),
        output_field=models.PointField(srid=4326, spatial_index=False),
        db_persist=True,
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    threshold = models.PositiveSmallIntegerField(default=50)
    quorum = models.PositiveSmallIntegerField(null=True, blank=True)
    budget = models.PositiveBigIntegerField(null=True, blank=True, help_text="approval: envelope")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # When the periodic job moves it on (debate → voting → closed); set when entering a state.
    voting_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__in=THRESHOLDS), name="proposal_threshold_known"
            ),
            models.CheckConstraint(
                condition=Q(quorum__isnull=True) | Q(quorum__gte=1, quorum__lte=100),
                name="proposal_quorum_percentage",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "closes_at"]),
            GistIndex(fields=["marker"], name="proposal_marker_gist"),
        ]

    def __str__(self) -> str:
        return self.title


class Transition(models.Model):
    """One step of a proposal's life: who moved it (nobody: the periodic job), when and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Version(models.Model):
    """A version of a proposal's text; an adopted amendment makes the next one."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(max_length=50000)
    amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="version_number_unique")
        ]


class Option(models.Model):
    """A choice of a judgement vote, or a project (with its cost) of a participatory budget."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    cost = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=10000)
    hidden_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class CommentEdit(models.Model):
    """The text a comment had before an edit: edits are kept."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField(max_length=10000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Amendment(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        ADOPTED = "adopted", _("adopted")
        REJECTED = "rejected", _("rejected")
        OUTDATED = "outdated", _("adopted on a text changed since")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    base_version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=50000, help_text="the whole text as amended")
    diff = models.TextField(help_text="unified diff against the base version")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Choice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    BLANK = "blank", _("blank")


class AmendmentVote(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=7, choices=Choice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["amendment", "voter"], name="amendment_vote_once")
        ]


class Vote(models.Model):
    """A ballot: one per person and proposal (the UNIQUE constraint), changeable until close.

    Secret: never shown to anyone but its voter; results read only aggregates. ``commune`` is
    the voter's commune of residence when they voted, for the per-commune results.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    choice = models.CharField(max_length=7, choices=Choice.choices, blank=True)
    # judgement: {option id: grade index, 0 = Excellent … 6 = À rejeter}
    grades = models.JSONField(default=dict, blank=True)
    # approval: the approved option ids
    approvals = ArrayField(models.BigIntegerField(), default=list, blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="vote_once_per_proposal")
        ]
        # The tallies at the close read only this index (results.MAJORITY_SQL, an index-only
        # scan): 200,000 ballots are counted without visiting the table.
        indexes = [
            models.Index(fields=["proposal", "commune", "choice"], name="vote_tally"),
        ]


class Resolution(models.Model):
    """Made when the vote closes: the frozen tallies, never recomputed."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="resolution")
    outcome = models.CharField(max_length=20)
    results = models.JSONField()
    closed_at = models.DateTimeField(auto_now_add=True)
