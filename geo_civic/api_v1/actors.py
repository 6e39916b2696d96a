"""``/api/v1/actors``: the directory for apps, by role, through the site's own rules.

Reads use the one filter set of the layers (``layers.filters``) and answer GeoJSON Features at
the published point; a page links to the streamed layer of the same filters for whole sets.
Writes go through ``contributions.workflow`` (the site's contribution and moderation flow) and
``contributions.history`` (revisions, revert): the API adds no rule of its own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from geo_civic.actors.models import Actor
from geo_civic.api_v1 import actor_input, reads
from geo_civic.api_v1.actor_serializers import (
    ActorFeature,
    ActorInput,
    Decision,
    Reason,
    ReportOut,
    RevisionOut,
)
from geo_civic.api_v1.caller import require_signed_in
from geo_civic.api_v1.pagination import (
    PAGE_PARAMETERS,
    FeatureCursor,
    IdCursor,
    PlainFeatureCursor,
)
from geo_civic.api_v1.schema_parts import PAGE, READ, WRITE, query, refusals
from geo_civic.api_v1.throttles import THROTTLES
from geo_civic.contributions import history, workflow
from geo_civic.contributions.models import ActorRevision
from geo_civic.contributions.permissions import can_edit, can_moderate, can_view, is_moderator
from geo_civic.web import rate_limits
from geo_civic.web.params import single_values, whole_number
from layers.filters import FILTERS, select
from layers.freshness import version
from layers.registry import get_layer

ACTOR_FILTERS = tuple(name for name in FILTERS if name not in ("limit", "offset"))
FILTER_DOCS = {
    "bbox": "minLon,minLat,maxLon,maxLat (WGS 84)",
    "commune": "INSEE codes, comma-separated",
    "departement": "département codes, comma-separated",
    "region": "région codes, comma-separated",
    "epci": "EPCI SIREN codes, comma-separated",
    "kind": "organisation, project, event, place (comma-separated)",
    "category": "category slugs (with their sub-categories), comma-separated",
    "tags": "keywords, comma-separated (any of them)",
    "q": "French full-text search in name, summary and keywords",
    "start": "events overlapping from this ISO 8601 date or date-time",
    "end": "events overlapping until this ISO 8601 date or date-time",
    "updated_since": "changed at or after this ISO 8601 date or date-time",
}
FILTER_PARAMETERS = [query(name, str, FILTER_DOCS[name]) for name in ACTOR_FILTERS]


def _id(value) -> int:
    return whole_number("id", str(value), minimum=1, maximum=2**31 - 1)


def actors():
    """Actors with what their Feature shows; never a commune's boundary (megabytes of GEOS)."""
    return (
        Actor.objects.select_related("commune", "owner")
        .defer("commune__boundary")
        .prefetch_related("categories")
    )


def _feature(request, actor: Actor) -> dict:
    return ActorFeature(actor, context={"request": request}).data


class ActorViewSet(viewsets.GenericViewSet):
    throttle_classes = THROTTLES
    serializer_class = ActorFeature
    queryset = Actor.objects.none()
    pagination_class = FeatureCursor

    def _visible(self, request, pk) -> Actor:
        actor = get_object_or_404(actors(), pk=_id(pk))
        if not can_view(request.user, actor):
            raise exceptions.NotFound("nothing here with this id")
        return actor

    @extend_schema(
        summary="Published actors, filtered (the layers' filter set), by cursor pages",
        parameters=[*FILTER_PARAMETERS, *PAGE],
        responses={200: ActorFeature(many=True), **refusals(*READ)},
    )
    def list(self, request):
        given = single_values(request.query_params, known=(*ACTOR_FILTERS, *PAGE_PARAMETERS))
        selection = select(get_layer("actors"), given, ignore=PAGE_PARAMETERS)
        who = request.user.pk if request.user.is_authenticated else 0
        # Everything else the body depends on: who asks (private member), the page, the host
        # (absolute links).
        page_key = (
            f"v1:{who}:{given.get('cursor', '')}:{given.get('page_size', '')}:"
            f"{request.scheme}://{request.get_host()}"
        )
        etag, last_modified = version(selection, page_key)

        def respond() -> Response:
            found = actors().filter(pk__in=selection.queryset.values("pk"))
            page = self.paginate_queryset(found)
            data = ActorFeature(page, many=True, context={"request": request}).data
            return self.get_paginated_response(data)

        return reads.conditional_version(request, etag, last_modified, respond)

    @extend_schema(
        summary="One actor (published, or one's own / moderated)",
        responses={200: ActorFeature, **refusals(*READ)},
    )
    def retrieve(self, request, pk=None):
        actor = self._visible(request, pk)
        return reads.conditional(request, _feature(request, actor), actor.updated_at)

    @extend_schema(
        summary="Contribute an actor: pending until a moderator publishes it",
        description="Trusted contributors, and moderators in their communes, publish at once; "
        "`properties.draft` keeps it to its author. Validated by the site's contribution form.",
        request=ActorInput,
        responses={201: ActorFeature, **refusals(*WRITE)},
    )
    def create(self, request):
        require_signed_in(request)
        properties, geometry, has_geometry = actor_input.feature_of(request.data)
        kind = actor_input.kind_of(properties)
        draft = actor_input.draft_of(properties)
        form = actor_input.form_for(kind, properties, geometry, has_geometry)
        actor = workflow.save_contribution(request.user, form, created=True, draft=draft)
        return Response(_feature(request, actors().get(pk=actor.pk)), status=201)

    @extend_schema(
        summary="Edit an actor (its owner, co-editors, moderators): only the members given",
        description="A resident's edit goes back to moderation, as on the site.",
        request=ActorInput,
        responses={200: ActorFeature, **refusals(*WRITE)},
    )
    def partial_update(self, request, pk=None):
        require_signed_in(request)
        actor = self._visible(request, pk)
        if not can_edit(request.user, actor):
            raise PermissionDenied("only its editors and the moderators edit this entry")
        properties, geometry, has_geometry = actor_input.feature_of(request.data)
        if properties.get("kind", actor.kind) != actor.kind:
            raise exceptions.ValidationError("an entry's kind does not change")
        draft = actor_input.draft_of(properties)
        form = actor_input.form_for(actor.kind, properties, geometry, has_geometry, actor)
        actor = workflow.save_contribution(request.user, form, created=False, draft=draft)
        return Response(_feature(request, actors().get(pk=actor.pk)))

    @extend_schema(
        summary="Moderators: publish, reject or archive, with a reason to refuse",
        request=Decision,
        responses={200: ActorFeature, **refusals(*WRITE)},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        require_signed_in(request)
        actor = self._visible(request, pk)
        data = request.data if isinstance(request.data, dict) else None
        if data is None or not all(isinstance(v, str) for v in data.values()):
            raise exceptions.ValidationError('the body is {"decision", "reason"} as text')
        workflow.decide(request.user, actor, data)
        return Response(_feature(request, actors().get(pk=actor.pk)))

    @extend_schema(
        summary="Moderators: archive an entry (a decision with its reason)",
        request=Reason,
        responses={200: ActorFeature, **refusals(*WRITE)},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        require_signed_in(request)
        actor = self._visible(request, pk)
        reason = request.data.get("reason") if isinstance(request.data, dict) else None
        if not isinstance(reason, str):
            raise exceptions.ValidationError('the body is {"reason"} as text')
        workflow.decide(request.user, actor, {"decision": "archive", "reason": reason})
        return Response(_feature(request, actors().get(pk=actor.pk)))

    @extend_schema(
        summary="Report that an entry is wrong, outdated or abusive (anyone)",
        request=Reason,
        responses={201: ReportOut, **refusals(400, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        actor = self._visible(request, pk)
        reason = request.data.get("reason") if isinstance(request.data, dict) else None
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 2000:
            raise exceptions.ValidationError("reason is a text of 1 to 2000 characters")
        if "\x00" in reason:
            raise exceptions.ValidationError("reason must not contain a NUL character")
        account = str(request.user.pk) if request.user.is_authenticated else ""
        if wait := rate_limits.limit_request("report", request._request, account=account):
            raise exceptions.Throttled(wait)
        made = workflow.report(request.user, actor, reason.strip())
        return Response(ReportOut(made).data, status=201)

    @extend_schema(
        summary="Moderators: an entry's revisions, newest first, with the fields each changed",
        responses={
            200: inline_serializer("Revisions", {"revisions": RevisionOut(many=True)}),
            **refusals(304, 400, 401, 403, 404, 429),
        },
    )
    @action(detail=True, methods=["get"])
    def revisions(self, request, pk=None):
        require_signed_in(request)
        actor = self._visible(request, pk)
        if not can_moderate(request.user, actor):
            raise PermissionDenied("for moderators only")
        revisions = list(actor.revisions.select_related("author"))
        changed = {rev.pk: [c[0] for c in diff] for rev, diff in history.changes(revisions)}
        data = RevisionOut(revisions, many=True, context={"changes": changed}).data
        latest = actor.revisions.aggregate(at=Max("created_at"))["at"]
        return reads.conditional(request, {"revisions": data}, latest)

    @extend_schema(
        summary="Moderators: put the entry back as it was at a revision (a new revision)",
        request=None,
        parameters=[OpenApiParameter("revision", int, OpenApiParameter.PATH)],
        responses={200: ActorFeature, **refusals(*WRITE)},
    )
    @action(detail=True, methods=["post"], url_path=r"revisions/(?P<revision>[^/]+)/revert")
    def revert(self, request, pk=None, revision=None):
        require_signed_in(request)
        actor = self._visible(request, pk)
        found = get_object_or_404(
            ActorRevision, pk=whole_number("revision", revision, minimum=1, maximum=2**31 - 1),
            actor=actor,
        )  # fmt: skip
        if not can_moderate(request.user, actor):
            raise PermissionDenied("for moderators only")
        history.revert(found, request.user)
        return Response(_feature(request, actors().get(pk=actor.pk)))


class ModerationViewSet(viewsets.GenericViewSet):
    """What awaits a moderator in their communes: pending entries and open reports."""

    throttle_classes = THROTTLES
    queryset = Actor.objects.none()
    serializer_class = ActorFeature

    def _moderator(self, request) -> None:
        require_signed_in(request)
        if not is_moderator(request.user):
            raise PermissionDenied("for moderators only")
        single_values(request.query_params, known=PAGE_PARAMETERS)

    @extend_schema(
        summary="Moderators: entries awaiting review in their communes, oldest first",
        parameters=PAGE,
        responses={200: ActorFeature(many=True), **refusals(400, 401, 403, 404, 429)},
    )
    @action(detail=False, methods=["get"], pagination_class=PlainFeatureCursor)
    def pending(self, request):
        self._moderator(request)
        page = self.paginate_queryset(workflow.pending_for(request.user).prefetch_related(
            "categories"))  # fmt: skip
        data = ActorFeature(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Moderators: unresolved reports on entries in their communes",
        parameters=PAGE,
        responses={200: ReportOut(many=True), **refusals(400, 401, 403, 404, 429)},
    )
    @action(detail=False, methods=["get"], pagination_class=IdCursor)
    def reports(self, request):
        self._moderator(request)
        page = self.paginate_queryset(workflow.open_reports_for(request.user))
        return self.get_paginated_response(ReportOut(page, many=True).data)
