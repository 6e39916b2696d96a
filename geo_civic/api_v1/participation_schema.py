# fmt: off
"""The exact OpenAPI description of the democracy operations (``participation.py``): their
bodies and answers, which the views build by hand. Applied to the views when urls.py loads."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.utils import inline_serializer as inline
from rest_framework import serializers as s

from geo_civic.api_v1.participation import (
    ProposalViewSet,
    ResidenceView,
    SpaceViewSet,
    VerificationView,
)
from geo_civic.api_v1.participation_serializers import (
    AmendmentSerializer,
    CommentSerializer,
    CommuneRefSerializer,
    ProposalSerializer,
    SpaceSerializer,
)
from geo_civic.api_v1.schema_extensions import EnvelopeListSchema

ANY = {"type": "object", "additionalProperties": True}


def _path(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.PATH)


Where = inline("WhereILive", {
    "lon": s.FloatField(required=False), "lat": s.FloatField(required=False),
    "address": s.CharField(required=False, help_text="instead of lon and lat"),
})
Verified = inline("Verified", {"verified": s.BooleanField(required=False, default=True)})
VerifiedResidence = inline("VerifiedResidence", {
    "username": s.CharField(), "commune": CommuneRefSerializer(), "verified": s.BooleanField(),
})
NewSpace = inline("NewSpace", {
    "title": s.CharField(), "description": s.CharField(required=False),
    "eligibility": s.CharField(), "method": s.CharField(required=False),
    "threshold": s.IntegerField(required=False), "quorum": s.IntegerField(required=False),
    "debate_days": s.IntegerField(required=False, min_value=1, max_value=365),
    "voting_days": s.IntegerField(required=False, min_value=1, max_value=365),
    "commune": s.CharField(required=False), "epci": s.CharField(required=False),
    "departement": s.CharField(required=False), "actor": s.IntegerField(required=False),
})
NewProposal = inline("NewProposal", {
    "type": s.ChoiceField(["Feature"]),
    "geometry": s.JSONField(allow_null=True),
    "properties": s.DictField(help_text="space, title, body, method, threshold, options…"),
})
Transition = inline("Transition", {
    "to": s.CharField(), "reason": s.CharField(required=False),
    "voting_at": s.DateTimeField(required=False), "closes_at": s.DateTimeField(required=False),
})
Body = inline("CommentBody", {"body": s.CharField(), "parent": s.IntegerField(required=False)})
Amend = inline("AmendmentBody", {"body": s.CharField()})
Hide = inline("HideReason", {"reason": s.CharField()})
Choice = inline("AmendmentChoice", {"choice": s.CharField()})
Ballot = inline("BallotBody", {
    "choice": s.CharField(required=False), "grades": s.DictField(required=False),
    "approve": s.ListField(child=s.IntegerField(), required=False),
})
BallotId = inline("BallotReceipt", {"id": s.IntegerField(), "proposal": s.IntegerField()})
AmendmentBallotId = inline(
    "AmendmentBallotReceipt", {"id": s.IntegerField(), "amendment": s.IntegerField()}
)
OwnBallot = inline("OwnBallot", {
    "choice": s.CharField(allow_null=True), "grades": s.DictField(child=s.CharField()),
    "approve": s.ListField(child=s.IntegerField(), allow_null=True),
    "updated_at": s.DateTimeField(),
})

extend_schema_view(
    get=extend_schema(summary="Where I live: the commune only, never the point"),
    put=extend_schema(summary="Say where I live", request=Where),
)(ResidenceView)
extend_schema_view(
    post=extend_schema(summary="Moderators: verify a resident", request=Verified,
                       responses={200: VerifiedResidence}),
)(VerificationView)
extend_schema_view(
    list=extend_schema(
        summary="Spaces of local democracy",
        operation_id="spaces_list",
        parameters=[OpenApiParameter("commune", str)],
        responses={200: inline("Spaces", {"spaces": SpaceSerializer(many=True)})},
    ),
    create=extend_schema(summary="Open a space", request=NewSpace,
                         responses={201: SpaceSerializer}),
)(SpaceViewSet)
SpaceViewSet.schema = EnvelopeListSchema()
extend_schema_view(
    create=extend_schema(summary="Propose", request=NewProposal,
                         responses={201: ProposalSerializer}),
    transition=extend_schema(summary="Move a proposal on", request=Transition,
                             responses={200: ProposalSerializer}),
    comments=[
        extend_schema(methods=["GET"], summary="The debate's comments",
                      responses={200: inline("Comments",
                                             {"comments": CommentSerializer(many=True)})}),
        extend_schema(methods=["POST"], summary="Comment", request=Body,
                      responses={201: CommentSerializer}),
    ],
    edit_comment=extend_schema(summary="Edit one's comment", request=Amend,
                               parameters=[_path("comment_id")],
                               responses={200: CommentSerializer}),
    hide_comment=extend_schema(summary="Moderators: hide a comment", request=Hide,
                               parameters=[_path("comment_id")],
                               responses={200: CommentSerializer}),
    amendments=[
        extend_schema(methods=["GET"], summary="Amendments",
                      responses={200: inline("Amendments",
                                             {"amendments": AmendmentSerializer(many=True)})}),
        extend_schema(methods=["POST"], summary="Amend", request=Amend,
                      responses={201: AmendmentSerializer}),
    ],
    vote_amendment=extend_schema(summary="Vote on an amendment", request=Choice,
                                 parameters=[_path("amendment_id")],
                                 responses={200: AmendmentBallotId, 201: AmendmentBallotId}),
    vote=[
        extend_schema(methods=["GET"], summary="One's own ballot, to its voter alone",
                      responses={200: OwnBallot}),
        extend_schema(methods=["POST"], summary="Vote: the answer is the ballot's id, never "
                      "its content", request=Ballot, responses={200: BallotId, 201: BallotId}),
    ],
    results=extend_schema(summary="What anyone may see of the vote now",
                          responses={200: ANY}),
)(ProposalViewSet)
