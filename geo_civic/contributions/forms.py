"""The contribution form: one per kind, the point placed on a map or found from an address.

Every problem is reported beside its field and nothing is saved: a point outside every known
commune, an address no geocoder finds, an end before the start, an invalid URL, a text too long.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.gis.geos import Point
from django.core.validators import URLValidator
from django.db import connection
from django.utils.translation import gettext_lazy as _

from geo_civic.actors.models import Actor, Category
from geo_civic.geocoding.chain import GeocoderChain

COMMON = [
    "name", "summary", "description", "categories", "tags_text", "address", "location_is_private",
    "website",
    "social_links_text", "email", "email_public", "phone", "phone_public", "opening_hours",
]  # fmt: skip
SPECIFIC = {
    Actor.Kind.ORGANISATION: ["organisation_type"],
    Actor.Kind.PROJECT: ["project_stage"],
    Actor.Kind.EVENT: ["starts_at", "ends_at", "all_day"],
    Actor.Kind.PLACE: ["place_type", "opening_hours"],
}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
MAX_OFFSET = timedelta(hours=16)  # PostgreSQL's time-zone offsets stop at ±15:59

COMMUNE_SQL = "SELECT geocivic_commune_covering(ST_GeomFromEWKT(%s))"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class EventDateTimeField(forms.DateTimeField):
    """Django also reads ISO 8601 with an offset up to ±23:59; PostgreSQL stores up to ±15:59,
    so a larger one is an invalid date/time here rather than a database error on save."""

    def to_python(self, value):
        result = super().to_python(value)
        offset = result.utcoffset() if result is not None else None
        if offset is not None and abs(offset) >= MAX_OFFSET:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return result


def commune_of(point: Point) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(COMMUNE_SQL, [point.ewkt])
        return cursor.fetchone()[0]


class ActorForm(forms.ModelForm):
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    tags_text = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=1000,
        help_text=_("separated by commas"),
    )
    social_links_text = forms.CharField(
        label=_("Social networks"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("one address (https://…) per line"),
    )
    categories = forms.ModelMultipleChoiceField(
        Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Categories"),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=500, assume_scheme="https"
    )
    starts_at = EventDateTimeField(
        label=_("Start"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )
    ends_at = EventDateTimeField(
        label=_("End"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )

    class Meta:
        model = Actor
        fields = [
            "name", "summary", "description", "categories", "address", "location_is_private",
            "website", "email",
            "email_public", "phone", "phone_public", "opening_hours", "organisation_type",
            "project_stage", "starts_at", "ends_at", "all_day", "place_type",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "opening_hours": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        keep = {*COMMON, *SPECIFIC[kind], "latitude", "longitude"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.order_fields([*COMMON[:5], *SPECIFIC[kind], *COMMON[5:]])
        if self.instance.pk:
            self.initial.setdefault("latitude", self.instance.point.y)
            self.initial.setdefault("longitude", self.instance.point.x)
            self.initial.setdefault("tags_text", ", ".join(self.instance.tags))
            self.initial.setdefault("social_links_text", "\n".join(self.instance.social_links))
        self.fields["address"].help_text = _("type an address, or place the point on the map")
        if kind == Actor.Kind.EVENT:
            self.fields["starts_at"].required = True

    def clean_tags_text(self) -> list[str]:
        tags = [t.strip() for t in self.cleaned_data["tags_text"].split(",") if t.strip()]
        too_long = [t for t in tags if len(t) > 100]
        if too_long:
            raise forms.ValidationError(_("A keyword has at most 100 characters."))
        return list(dict.fromkeys(tags))

    def clean_social_links_text(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["social_links_text"].splitlines()]
        links = [link for link in links if link]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(link)s” is not a valid web address.") % {"link": link[:80]}
                ) from None
        return links

    def clean(self) -> dict:
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if lat is None or lon is None:
            address = data.get("address", "")
            if not address:
                self.add_error("address", _("Type an address or place the point on the map."))
                return data
            found = GeocoderChain().geocode(address)
            if found is None:
                self.add_error(
                    "address",
                    _("Address not found: make it more precise or place the point on the map."),
                )
                return data
            lon, lat = found.lon, found.lat
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.add_error("address", _("Invalid position."))
            return data
        point = Point(lon, lat, srid=4326)
        if commune_of(point) is None:
            self.add_error(
                "address", _("This point is in no known commune: place it inside a commune.")
            )
            return data
        self.instance.point = point
        return data

    def save(self, commit: bool = True) -> Actor:
        actor = super().save(commit=False)
        actor.tags = self.cleaned_data.get("tags_text", [])
        actor.social_links = self.cleaned_data.get("social_links_text", [])
        if commit:
            actor.save()
            self.save_m2m()
        return actor


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("publish")), ("reject", _("reject")), ("archive", _("archive"))]
    )
    reason = forms.CharField(
        label=_("Reason (seen by the author)"), required=False, max_length=2000
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") in {"reject", "archive"} and not data.get("reason", "").strip():
            self.add_error("reason", _("Tell the author why: the reason is required."))
        return data


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
