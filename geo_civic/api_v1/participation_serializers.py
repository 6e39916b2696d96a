"""How spaces, proposals, comments and amendments look in ``/api/v1/``: only public facts.

Never here: a residence's point, who voted what, voters' names. Proposals go out as GeoJSON
Features (djangorestframework-gis) whose top-level ``id`` is the proposal's.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_civic.actors.markdown_text import render_markdown
from geo_civic.participation.models import Amendment, Comment, Proposal, Space
from geo_civic.participation.territory import describe


class SpaceSerializer(serializers.ModelSerializer):
    territory = serializers.SerializerMethodField()

    class Meta:
        model = Space
        fields = ["id", "title", "description", "eligibility", "territory", "method",
                  "threshold", "quorum", "debate_days", "voting_days", "created_at"]  # fmt: skip

    def get_territory(self, space: Space) -> dict:
        return describe(space)


class ProposalSerializer(GeoFeatureModelSerializer):
    author = serializers.CharField(source="author.username", default=None)
    body_html = serializers.SerializerMethodField()
    options = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        geo_field = "location"
        # Any GeoJSON geometry, or null (a proposal need not have a place): schema_extensions.py.
        geometry = {
            "type": ["object", "null"],
            "required": ["type"],
            "properties": {"type": {"type": "string"}},
        }
        fields = ["id", "space", "title", "body", "body_html", "category", "tags", "method",
                  "threshold", "quorum", "budget", "options", "status", "voting_at",
                  "closes_at", "withdrawn_reason", "author", "version",
                  "created_at"]  # fmt: skip

    def get_body_html(self, proposal: Proposal) -> str:
        return render_markdown(proposal.body)

    def get_options(self, proposal: Proposal) -> list[dict]:
        return [{"id": o.pk, "label": o.label, "cost": o.cost} for o in proposal.options.all()]

    def get_version(self, proposal: Proposal) -> int:
        return max((v.number for v in proposal.versions.all()), default=1)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None)
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    edits = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "body", "body_html", "hidden_reason", "created_at",
                  "edited_at", "edits"]  # fmt: skip

    def get_body(self, comment: Comment) -> str:
        return "" if comment.hidden_reason else comment.body

    def get_body_html(self, comment: Comment) -> str:
        return "" if comment.hidden_reason else render_markdown(comment.body)

    def get_edits(self, comment: Comment) -> int:
        return comment.edits.count()


class AmendmentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None)
    base_version = serializers.IntegerField(source="base_version.number")

    class Meta:
        model = Amendment
        fields = ["id", "author", "base_version", "body", "diff", "state", "created_at"]


class CommuneRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ResidenceSerializer(serializers.Serializer):
    """Documents the residence answers: the commune only, never the point."""

    commune = CommuneRefSerializer()
    verified = serializers.BooleanField()
