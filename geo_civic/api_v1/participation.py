"""``/api/v1/`` for local democracy: thin views over the services, which hold every rule.

A refusal is raised by a service as a :class:`~geo_civic.participation.errors.ParticipationError`
and answered as an RFC 9457 problem (``geo_civic/api_v1/problems.py``).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.fields import GeometryField

from geo_civic.actors.models import Actor
from geo_civic.api_v1.caller import body_of, require_signed_in
from geo_civic.api_v1.participation_serializers import (
    AmendmentSerializer,
    CommentSerializer,
    ProposalSerializer,
    ResidenceSerializer,
    SpaceSerializer,
)
from geo_civic.api_v1.throttles import THROTTLES
from geo_civic.participation import debate, lifecycle, proposals, residence, voting
from geo_civic.participation import results as tallies
from geo_civic.participation.debate import visible_to
from geo_civic.participation.eligibility import residence_of
from geo_civic.participation.errors import Invalid
from geo_civic.participation.models import (
    Amendment,
    Comment,
    Option,
    Proposal,
    Space,
    Status,
    Version,
)
from geo_civic.territories.models import CURRENT, Commune, Departement, Epci


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise Invalid(f"{name} is a whole number")
    return int(value)


class ResidenceView(APIView):
    throttle_classes = THROTTLES
    serializer_class = ResidenceSerializer  # for the OpenAPI document

    def get(self, request):
        require_signed_in(request)
        found = residence_of(request.user)
        if found is None:
            raise exceptions.NotFound("you have not said where you live")
        return Response(_residence(found))

    def put(self, request):
        require_signed_in(request)
        data = body_of(request)
        if "address" in data:
            if not isinstance(data["address"], str):
                raise Invalid("address is text")
            point = residence.point_of_address(data["address"])
        else:
            lon, lat = data.get("lon"), data.get("lat")
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
                raise Invalid('give {"lon", "lat"} as numbers, or {"address"}')
            point = residence.point_of(float(lon), float(lat))
        return Response(_residence(residence.set_residence(request.user, point)))


def _residence(found) -> dict:
    """Only the commune and whether it is verified: never the point."""
    return {"commune": {"code": found.commune.code, "name": found.commune.name},
            "verified": found.verified}  # fmt: skip


class VerificationView(APIView):
    throttle_classes = THROTTLES
    serializer_class = ResidenceSerializer

    def post(self, request, username: str):
        require_signed_in(request)
        verified = body_of(request).get("verified", True)
        if not isinstance(verified, bool):
            raise Invalid("verified is true or false")
        found = residence.verify(request.user, username, verified)
        return Response({"username": username, **_residence(found)})


class SpaceViewSet(viewsets.ViewSet):
    throttle_classes = THROTTLES
    serializer_class = SpaceSerializer  # for the OpenAPI document
    queryset = Space.objects.none()

    def list(self, request):
        spaces = Space.objects.select_related("commune", "epci", "departement", "actor")
        commune = request.query_params.get("commune")
        if commune:
            spaces = spaces.filter(commune__code=commune)
        return Response({"spaces": SpaceSerializer(spaces[:500], many=True).data})

    def retrieve(self, request, pk=None):
        return Response(SpaceSerializer(get_object_or_404(Space, pk=_int(pk, "id"))).data)

    def create(self, request):
        require_signed_in(request)
        data = body_of(request)
        owners = [key for key in ("commune", "epci", "departement", "actor") if key in data]
        if len(owners) != 1:
            raise Invalid("give exactly one of commune, epci, departement or actor")
        key = owners[0]
        value = data[key]
        space = Space(
            title=data.get("title"),
            description=data.get("description", ""),
            eligibility=data.get("eligibility"),
            method=data.get("method", "majority"),
            threshold=data.get("threshold", 50),
            quorum=data.get("quorum"),
        )
        for days in ("debate_days", "voting_days"):
            if days in data:
                value_days = _int(data[days], days)
                if not 1 <= value_days <= 365:
                    raise Invalid(f"{days} is from 1 to 365")
                setattr(space, days, value_days)
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise Invalid(f"{key} is a code or an id")
        if key == "commune":
            space.commune = Commune.objects.filter(CURRENT, code=str(value)).first()
        elif key == "epci":
            space.epci = Epci.objects.filter(code=str(value)).first()
        elif key == "departement":
            space.departement = Departement.objects.filter(code=str(value)).first()
        else:
            space.actor = Actor.objects.filter(pk=_int(value, "actor")).first()
        if getattr(space, key) is None:
            raise Invalid(f"unknown {key} {value!r}")
        proposals.create_space(request.user, space)
        return Response(SpaceSerializer(space).data, status=201)


def _proposals():
    return Proposal.objects.select_related("space", "author").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position")),
        Prefetch("versions", queryset=Version.objects.only("id", "number", "proposal_id")),
    )


class ProposalViewSet(viewsets.ViewSet):
    throttle_classes = THROTTLES
    serializer_class = ProposalSerializer  # for the OpenAPI document
    queryset = Proposal.objects.none()

    def _get(self, request, pk, found=None) -> Proposal:
        proposal = get_object_or_404(_proposals() if found is None else found, pk=_int(pk, "id"))
        if not visible_to(request.user, proposal):
            raise exceptions.NotFound("nothing here with this id")
        return proposal

    @extend_schema(
        parameters=[
            OpenApiParameter("space", int),
            OpenApiParameter("status", str, description="comma-separated states"),
            OpenApiParameter("category", str),
        ]
    )
    def list(self, request):
        found = _proposals()
        params = request.query_params
        unknown = set(params) - {"space", "status", "category", "limit", "offset"}
        if unknown:
            raise Invalid(f"unknown parameter(s) {', '.join(sorted(unknown))}")
        if "space" in params:
            found = found.filter(space_id=_int(params["space"], "space"))
        if "status" in params:
            wanted = params["status"].split(",")
            if set(wanted) - set(Status.values):
                raise Invalid(f"status is among {', '.join(Status.values)}")
            found = found.filter(status__in=wanted)
        if "category" in params:
            found = found.filter(category=params["category"])
        mine = Q(author=request.user) if request.user.is_authenticated else Q(pk__in=[])
        found = found.filter(~Q(status=Status.DRAFT) | mine)
        limit = _int(params.get("limit", 1000), "limit")
        offset = _int(params.get("offset", 0), "offset")
        if not 1 <= limit <= 10000:
            raise Invalid("limit is from 1 to 10000")
        return Response(ProposalSerializer(found[offset : offset + limit], many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ProposalSerializer(self._get(request, pk)).data)

    def create(self, request):
        require_signed_in(request)
        feature = body_of(request)
        if feature.get("type") != "Feature" or not isinstance(feature.get("properties"), dict):
            raise Invalid('a proposal is a GeoJSON Feature with "properties"')
        props = feature["properties"]
        space = Space.objects.filter(pk=_int(props.get("space"), "space")).first()
        if space is None:
            raise Invalid("unknown space")
        location = None
        if feature.get("geometry") is not None:
            try:
                location = GeometryField().to_internal_value(feature["geometry"])
            except Exception as error:  # GeoJSON parsing errors come in many kinds
                raise Invalid("the geometry is not valid GeoJSON") from error
        proposal = proposals.create_proposal(request.user, space, props, location)
        return Response(ProposalSerializer(_proposals().get(pk=proposal.pk)).data, status=201)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        require_signed_in(request)
        proposal = self._get(request, pk)
        data = body_of(request)
        lifecycle.transition(request.user, proposal, data.get("to"), data.get("reason", ""),
                             data.get("voting_at"), data.get("closes_at"))  # fmt: skip
        return Response(ProposalSerializer(_proposals().get(pk=proposal.pk)).data)

    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        proposal = self._get(request, pk)
        if request.method == "GET":
            found = proposal.comments.select_related("author").prefetch_related("edits")
            return Response({"comments": CommentSerializer(found, many=True).data})
        require_signed_in(request)
        data = body_of(request)
        made = debate.comment(request.user, proposal, data.get("body"), data.get("parent"))
        return Response(CommentSerializer(made).data, status=201)

    @action(detail=True, methods=["patch"], url_path=r"comments/(?P<comment_id>\d+)")
    def edit_comment(self, request, pk=None, comment_id=None):
        require_signed_in(request)
        proposal = self._get(request, pk)
        found = get_object_or_404(Comment, pk=comment_id, proposal=proposal)
        edited = debate.edit_comment(request.user, found, body_of(request).get("body"))
        return Response(CommentSerializer(edited).data)

    @action(detail=True, methods=["post"], url_path=r"comments/(?P<comment_id>\d+)/hide")
    def hide_comment(self, request, pk=None, comment_id=None):
        require_signed_in(request)
        proposal = self._get(request, pk)
        found = get_object_or_404(Comment, pk=comment_id, proposal=proposal)
        hidden = debate.hide_comment(request.user, found, body_of(request).get("reason"))
        return Response(CommentSerializer(hidden).data)

    @action(detail=True, methods=["get", "post"])
    def amendments(self, request, pk=None):
        proposal = self._get(request, pk)
        if request.method == "GET":
            found = proposal.amendments.select_related("author", "base_version")
            return Response({"amendments": AmendmentSerializer(found, many=True).data})
        require_signed_in(request)
        made = debate.amend(request.user, proposal, body_of(request).get("body"))
        return Response(AmendmentSerializer(made).data, status=201)

    @action(detail=True, methods=["post"], url_path=r"amendments/(?P<amendment_id>\d+)/vote")
    def vote_amendment(self, request, pk=None, amendment_id=None):
        require_signed_in(request)
        proposal = self._get(request, pk)
        amendment = get_object_or_404(Amendment, pk=amendment_id, proposal=proposal)
        ballot, created = debate.vote_amendment(
            request.user, amendment, body_of(request).get("choice")
        )
        return Response({"id": ballot, "amendment": amendment.pk}, status=201 if created else 200)

    @action(detail=True, methods=["get", "post"])
    def vote(self, request, pk=None):
        require_signed_in(request)
        # A ballot is the hot path of a consultation: the proposal with its space (and its
        # territory's département) in one query, without the versions and options a full
        # proposal carries (voting.ballot reads option ids when the method has options).
        lean = Proposal.objects.select_related("space", "space__departement").only(
            "id", "status", "method", "author_id", "space__id", "space__eligibility",
            "space__commune_id", "space__epci_id", "space__departement_id", "space__actor_id",
            "space__departement__id", "space__departement__code",
        )  # fmt: skip
        proposal = self._get(request, pk, lean)
        if request.method == "GET":  # one's own ballot, to its voter alone
            return Response(voting.own_ballot(request.user, proposal))
        ballot, created = voting.cast(request.user, proposal, body_of(request))
        # The ballot's id, never its content: the answer may be logged or cached by a proxy.
        return Response({"id": ballot, "proposal": proposal.pk}, status=201 if created else 200)

    @action(detail=True, methods=["get"], url_path="results")
    def results(self, request, pk=None):
        # Once closed, the frozen resolution in the same query; while voting, the space (and
        # département) the participation counts against.
        lean = Proposal.objects.select_related("space", "space__departement", "resolution")
        proposal = self._get(request, pk, lean)
        return Response(tallies.open_results(proposal))
