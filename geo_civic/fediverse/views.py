"""ActivityPub over HTTP. Ids are ``/ap/<communes|actors|spaces>/<key>`` (see
``geo_civic.federation.local``); a browser asking one for HTML is sent to the actor's page.
Refusals are RFC 9457 problem+json; an unsigned or wrongly signed POST to an inbox is a 401."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from geo_civic.actors.models import Actor
from geo_civic.federation import documents, inbox, outbox
from geo_civic.federation import local as locals_
from geo_civic.participation.models import Proposal, Status
from geo_civic.social.models import News
from geo_civic.web import params, rate_limits
from geo_civic.web.problems import problem, problem_of

AP_TYPE = "application/activity+json"
JRD_TYPE = "application/jrd+json"


def _json(document: dict[str, Any], content_type: str = AP_TYPE, **headers: str) -> JsonResponse:
    return JsonResponse(
        document,
        content_type=content_type,
        json_dumps_params={"ensure_ascii": False},
        headers={"Access-Control-Allow-Origin": "*", **headers},
    )


def _wants_html(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "activity+json" not in accept and "ld+json" not in accept


def _local(kind_path: str, key: str) -> locals_.LocalActor | None:
    kind = locals_.KINDS.get(kind_path)
    return locals_.find(kind, key) if kind else None


def _not_found() -> JsonResponse:
    return problem("no such actor here", 404)


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    """``?resource=acct:<name>@<host>`` (or an actor's id) → its JRD (RFC 7033)."""
    resources = request.GET.getlist("resource")
    if len(resources) != 1 or not resources[0].strip():
        return problem_of(params.ParameterError("resource is required, once", "resource"))
    resource = resources[0].strip()
    base = locals_.origin(request)
    if resource.startswith("acct:"):
        name, _, host = resource.removeprefix("acct:").rpartition("@")
        if host.lower() != locals_.host_of(base).lower():
            return problem(f"{host[:100]} is not this server", 404)
        found = locals_.by_username(name)
    else:
        found = locals_.by_id(resource, base)
    if found is None:
        return problem("no such account here", 404)
    return _json(documents.webfinger(found, base), JRD_TYPE)


@require_GET
def nodeinfo_index(request: HttpRequest) -> HttpResponse:
    return _json(documents.nodeinfo_index(locals_.origin(request)), "application/json")


@require_GET
def nodeinfo(request: HttpRequest) -> HttpResponse:
    """NodeInfo 2.1 with counts rounded to the hundred (no exact number of accounts)."""
    users = round(get_user_model().objects.filter(is_active=True).count(), -2)
    posts = round(
        Actor.objects.filter(status=Actor.Status.PUBLISHED, kind=Actor.Kind.EVENT).count(), -2
    )
    return _json(
        documents.nodeinfo(posts, users),
        'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


@require_GET
def actor(request: HttpRequest, kind_path: str, key: str) -> HttpResponse:
    found = _local(kind_path, key)
    if found is None:
        return _not_found()
    base = locals_.origin(request)
    if _wants_html(request):
        return HttpResponseRedirect(base + found.page)
    return _json(documents.actor(found, base), Vary="Accept")


@require_GET
def followers(request: HttpRequest, kind_path: str, key: str) -> HttpResponse:
    found = _local(kind_path, key)
    if found is None:
        return _not_found()
    return _json(documents.followers(found, locals_.origin(request)))


@require_GET
def outbox_view(request: HttpRequest, kind_path: str, key: str) -> HttpResponse:
    found = _local(kind_path, key)
    if found is None:
        return _not_found()
    try:
        query = params.single_values(request.GET, ["page"])
        page = (
            params.whole_number("page", query["page"], minimum=1, maximum=10_000)
            if "page" in query
            else None
        )
    except params.ParameterError as exc:
        return problem_of(exc)
    return _json(outbox.outbox(found, locals_.origin(request), page))


@require_GET
def object_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """An event, a proposal in vote or a published news item by its id, as outboxes carry it."""
    base = locals_.origin(request)
    if kind == "event":
        event = (
            Actor.objects.filter(pk=pk, kind=Actor.Kind.EVENT, status=Actor.Status.PUBLISHED)
            .select_related("commune")
            .first()
        )
        if event is None:
            return problem("no such event", 404)
        document = outbox.event_object(event, base, locals_.of_actor(event).id(base))
    elif kind == "proposal":
        proposal = (
            Proposal.objects.filter(
                pk=pk, status__in=[Status.VOTING, Status.CLOSED, Status.ARCHIVED]
            )
            .select_related("space")
            .first()
        )
        if proposal is None:
            return problem("no such proposal in vote", 404)
        document = outbox.question_object(proposal, base, locals_.of_space(proposal.space).id(base))
    elif kind == "news":
        news = (
            News.objects.filter(pk=pk, status=News.Status.PUBLISHED)
            .select_related("commune", "actor")
            .prefetch_related("images")
            .first()
        )
        if news is None:
            return problem("no such news", 404)
        by = locals_.of_actor(news.actor) if news.actor_id else locals_.of_commune(news.commune)
        document = outbox.news_object(news, base, by.id(base))
    else:
        return problem("no such object", 404)
    return _json({"@context": outbox.OUTBOX_CONTEXT, **document})


def _receive(request: HttpRequest, inbox_of: locals_.LocalActor | None) -> HttpResponse:
    wait = rate_limits.limit_request("inbox", request)
    if wait:
        return rate_limits.too_many_requests(request, wait, as_json=True, what="activities")
    headers = {name.lower(): value for name, value in request.headers.items()}
    try:
        done = inbox.receive(
            inbox_of, locals_.origin(request), request.method, request.get_full_path(),
            headers, request.body,
        )  # fmt: skip
    except inbox.InboxError as exc:
        extra = {"WWW-Authenticate": 'Signature realm="geocivic"'} if exc.status == 401 else None
        return problem(exc.detail, exc.status, headers=extra)
    return HttpResponse(json.dumps({"result": done}), status=202, content_type="application/json")


@csrf_exempt
@require_http_methods(["POST"])
def actor_inbox(request: HttpRequest, kind_path: str, key: str) -> HttpResponse:
    found = _local(kind_path, key)
    if found is None:
        return _not_found()
    return _receive(request, found)


@csrf_exempt
@require_http_methods(["POST"])
def shared_inbox(request: HttpRequest) -> HttpResponse:
    return _receive(request, None)
