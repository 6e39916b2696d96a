"""Deliveries to remote inboxes: recorded once per (activity, inbox), posted by a job, signed by
the local actor, retried with backoff while the remote server fails or cannot be reached."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone

from geo_civic.federation import remote, signatures
from geo_civic.federation.keys import key_pair
from geo_civic.federation.models import Delivery
from geo_civic.outbound import public_addresses

CONTENT_TYPE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
PERMANENT = {400, 401, 403, 404, 405, 410, 413, 422}


class DeliveryFailed(Exception):
    """The remote inbox did not take the activity this time (the job is retried)."""


def post(delivery: Delivery, private_pem: str) -> int:
    """POST the signed activity; the HTTP status. DeliveryFailed when it should be tried again."""
    body = json.dumps(delivery.activity).encode()
    headers = signatures.sign("POST", delivery.inbox, delivery.key_id, private_pem, body)
    headers |= {"Content-Type": CONTENT_TYPE, "User-Agent": remote.USER_AGENT}
    request = urllib.request.Request(delivery.inbox, data=body, headers=headers, method="POST")
    try:
        with remote.opener().open(request, timeout=remote.TIMEOUT_S) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        if exc.code in PERMANENT:
            return exc.code
        raise DeliveryFailed(f"HTTP {exc.code}") from None
    except (public_addresses.Refused, public_addresses.Unresolvable) as exc:
        raise DeliveryFailed(str(exc)) from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(str(exc)[:500]) from None


def attempt(delivery_id: int) -> str:
    """One try of one delivery (idempotent: a delivered one is not sent again).

    The row stays locked while posting, so that two jobs of one delivery never both send it;
    the key is made before (committed), as the remote server fetches it while we post.
    """
    signer = Delivery.objects.filter(pk=delivery_id).values("local_kind", "local_key").first()
    if signer is None:
        return "nothing to do"
    private_pem = key_pair(signer["local_kind"], signer["local_key"]).private_pem
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.done:
            return "nothing to do"
        delivery.attempts += 1
        try:
            status = post(delivery, private_pem)
        except DeliveryFailed as exc:
            delivery.last_error = str(exc)
            delivery.save(update_fields=["attempts", "last_error"])
            failure = exc
        else:
            failure = None
            if status < 300:
                delivery.done, delivery.delivered_at, delivery.last_error = True, timezone.now(), ""
            else:
                delivery.last_error = f"HTTP {status}: refused by the remote server, not retried"
            delivery.save(update_fields=["attempts", "last_error", "done", "delivered_at"])
            return "delivered" if delivery.done else "refused"
    raise failure
