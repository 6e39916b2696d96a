"""The forms of the democracy pages: they only parse; the services decide and write."""

from __future__ import annotations

import json

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext_lazy as _

from geo_civic.pages.democracy.texts import GRADE_CHOICES
from geo_civic.participation.models import THRESHOLDS, Choice, Eligibility, Method, Status


class ResidenceForm(forms.Form):
    """An address (geocoded without cache or log) or a point picked on the map."""

    address = forms.CharField(
        label=_("Your address"), max_length=300, required=False,
        help_text=_("Or touch the map where you live. Only your commune is kept in view."),
    )  # fmt: skip
    latitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )

    def clean(self):
        data = super().clean()
        has_point = data.get("latitude") is not None and data.get("longitude") is not None
        if not has_point and not data.get("address", "").strip():
            raise forms.ValidationError(_("Give your address or touch the map where you live."))
        return data


TERRITORIES = [
    ("commune", _("a commune (INSEE code)")),
    ("epci", _("an intercommunality (SIREN code)")),
    ("departement", _("a département (code)")),
    ("actor", _("an actor (its number)")),
]


class SpaceForm(forms.Form):
    territory = forms.ChoiceField(label=_("The space belongs to"), choices=TERRITORIES)
    code = forms.CharField(label=_("Code or number"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=20000, required=False, widget=forms.Textarea
    )
    eligibility = forms.ChoiceField(label=_("Who may take part"), choices=Eligibility.choices)
    method = forms.ChoiceField(label=_("Default vote"), choices=Method.choices)
    threshold = forms.TypedChoiceField(
        label=_("Majority needed (% of for + against)"), coerce=int,
        choices=[(t, f"{t} %") for t in THRESHOLDS],
    )  # fmt: skip
    debate_days = forms.IntegerField(
        label=_("Days of debate"), min_value=1, max_value=365, initial=14
    )
    voting_days = forms.IntegerField(
        label=_("Days of vote"), min_value=1, max_value=365, initial=14
    )


def _geometry(value: str):
    if not value.strip():
        return None
    try:
        geometry = GEOSGeometry(json.dumps(json.loads(value)), srid=4326)
    except (ValueError, TypeError, GEOSException):
        raise forms.ValidationError(_("The location drawn is not a valid shape.")) from None
    return geometry


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists with -, links."),
    )  # fmt: skip
    category = forms.CharField(label=_("Category"), max_length=100, required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    method = forms.ChoiceField(label=_("How it is decided"), choices=Method.choices)
    threshold = forms.TypedChoiceField(
        label=_("Majority needed (% of for + against)"), coerce=int,
        choices=[(t, f"{t} %") for t in THRESHOLDS],
    )  # fmt: skip
    quorum = forms.IntegerField(
        label=_("Quorum (% of the residents), optional"), min_value=1, max_value=100, required=False
    )
    options = forms.CharField(
        label=_("Options or projects, one a line"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Majority judgement: one option a line. Budget: “project label; cost”."),
    )  # fmt: skip
    budget = forms.IntegerField(
        label=_("Envelope of the budget"), min_value=1, required=False,
        help_text=_("Participatory budget only."),
    )  # fmt: skip
    location = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def clean_location(self):
        return _geometry(self.cleaned_data["location"])

    def clean(self):
        data = super().clean()
        options = []
        for line in data.get("options", "").splitlines():
            if not line.strip():
                continue
            if data.get("method") == Method.APPROVAL:
                label, _sep, cost = line.rpartition(";")
                if not label.strip() or not cost.strip().isdigit():
                    self.add_error("options", _("Each project is “label; cost” (a whole amount)."))
                    break
                options.append({"label": label.strip(), "cost": int(cost.strip())})
            else:
                options.append(line.strip())
        data["option_list"] = options
        return data

    def payload(self) -> dict:
        """What ``proposals.create_proposal`` reads."""
        data = self.cleaned_data
        payload = {key: data[key] for key in ("title", "body", "category", "tags", "method",
                                                "threshold", "quorum")}  # fmt: skip
        if data["method"] != Method.MAJORITY:
            payload["options"] = data["option_list"]
        if data["method"] == Method.APPROVAL:
            payload["budget"] = data["budget"]
        return payload


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AmendmentForm(forms.Form):
    body = forms.CharField(
        label=_("The text as you would amend it"), max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(max_length=2000, required=False)
    # Local date-times of the site's time zone; the services take them with their offset.
    voting_at = forms.DateTimeField(label=_("The vote opens on"), required=False)
    closes_at = forms.DateTimeField(label=_("The vote closes on"), required=False)

    def dates(self) -> dict[str, str | None]:
        """The dates given, as ``lifecycle.transition`` reads them (ISO 8601 with offset)."""
        found = {}
        for key in ("voting_at", "closes_at"):
            value = self.cleaned_data.get(key)
            found[key] = value.isoformat() if value else None
        return found


class VerifyForm(forms.Form):
    username = forms.CharField(label=_("User name of the resident"), max_length=150)
    verified = forms.BooleanField(required=False, initial=True)


def ballot_payload(method: str, post, option_ids: list[int]) -> dict:
    """The ballot a vote form expresses, as ``voting.cast`` reads it (which checks it)."""
    if method == Method.MAJORITY:
        return {"choice": post.get("choice")}
    if method == Method.JUDGEMENT:
        return {"grades": {str(pk): post.get(f"grade-{pk}") for pk in option_ids}}
    approve = []
    for value in post.getlist("approve"):
        if not value.isdigit():
            return {"approve": [value]}
        approve.append(int(value))
    return {"approve": approve}


GRADES_OF_FORM = GRADE_CHOICES
