"""What our inboxes accept: ``Follow`` and ``Undo`` of a Follow, signed (HTTP Signatures) by the
remote actor who sends them. A Follow is accepted at once and answered ``Accept`` by a job;
other activities are acknowledged and dropped (we publish, we do not read the fediverse)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from geo_civic.federation import local as locals_
from geo_civic.federation import remote, signatures
from geo_civic.federation.local import CONTEXT, LocalActor
from geo_civic.federation.models import Follower, RemoteActor
from geo_civic.federation.tasks import enqueue

MAX_BODY = 256 * 1024


class InboxError(Exception):
    """A refusal: the HTTP status and what the sender can act on."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _authenticate(
    method: str, target: str, headers: Mapping[str, str], body: bytes, base: str
) -> RemoteActor:
    """The remote actor whose valid signature the request carries; InboxError 401 otherwise."""
    try:
        params = signatures.check_request(method, target, headers, body)
    except signatures.SignatureError as exc:
        raise InboxError(401, str(exc)) from None
    try:
        sender = remote.by_key_id(params["keyId"], base=base)
        try:
            signatures.verify(params, sender.public_key_pem)
        except signatures.SignatureError:
            # The key may have changed: fetch it again.
            sender = remote.by_key_id(params["keyId"], refresh=True, base=base)
            signatures.verify(params, sender.public_key_pem)
    except remote.FetchFailed as exc:
        raise InboxError(401, f"the signing key cannot be fetched: {exc}") from None
    except signatures.SignatureError as exc:
        raise InboxError(401, str(exc)) from None
    return sender


def _object_id(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def receive(
    inbox_of: LocalActor | None,
    base: str,
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
) -> str:
    """Handle one POST to an inbox (``inbox_of`` None: the shared inbox); what was done."""
    if len(body) > MAX_BODY:
        raise InboxError(413, f"an activity is at most {MAX_BODY} bytes")
    try:
        activity = json.loads(body)
    except ValueError:
        raise InboxError(400, "the body is not JSON") from None
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        raise InboxError(400, "the body is not an activity (no type)")
    sender = _authenticate(method, target, headers, body, base)
    if _object_id(activity.get("actor")) != sender.uri:
        raise InboxError(401, "the activity's actor is not the one who signed it")
    kind = activity["type"]
    if kind == "Follow":
        return _follow(activity, sender, inbox_of, base)
    if kind == "Undo" and isinstance(activity.get("object"), dict | str):
        return _undo(activity, sender, base)
    return "ignored"


def _followed(activity: dict, inbox_of: LocalActor | None, base: str) -> LocalActor:
    followed = locals_.by_id(_object_id(activity.get("object")), base)
    if followed is None or followed.kind == "site":
        raise InboxError(404, "the object of the Follow is none of our actors")
    if inbox_of is not None and (followed.kind, followed.key) != (inbox_of.kind, inbox_of.key):
        raise InboxError(400, "the Follow was sent to another actor's inbox")
    return followed


def _follow(activity: dict, sender: RemoteActor, inbox_of: LocalActor | None, base: str) -> str:
    followed = _followed(activity, inbox_of, base)
    follow_id = _object_id(activity)
    with transaction.atomic():
        follower, _ = Follower.objects.update_or_create(
            local_kind=followed.kind, local_key=followed.key, remote=sender,
            defaults={"accepted": True, "follow_id": follow_id[:500], "local_origin": base},
        )  # fmt: skip
        token = hashlib.sha256(follow_id.encode()).hexdigest()[:16]
        accept = {
            "@context": CONTEXT[0],
            "id": f"{followed.id(base)}#accepts/{follower.pk}/{token}",
            "type": "Accept",
            "actor": followed.id(base),
            "object": {
                "id": follow_id,
                "type": "Follow",
                "actor": sender.uri,
                "object": followed.id(base),
            },
        }
        enqueue(followed, base, accept, [sender.inbox])
    return "accepted"


def _undo(activity: dict, sender: RemoteActor, base: str) -> str:
    undone = activity["object"]
    if isinstance(undone, dict) and undone.get("type") not in (None, "Follow"):
        return "ignored"
    follows = Follower.objects.filter(remote=sender)
    followed = (
        locals_.by_id(_object_id(undone.get("object")), base) if isinstance(undone, dict) else None
    )
    if followed is not None:
        follows = follows.filter(local_kind=followed.kind, local_key=followed.key)
    elif _object_id(undone):
        follows = follows.filter(follow_id=_object_id(undone))
    else:
        return "ignored"
    deleted, _ = follows.delete()
    return "unfollowed" if deleted else "ignored"
