"""Our inbox's refusals, each a problem+json: unsigned, stale, wrongly signed, signed by someone
else than the activity's actor, keys on private addresses (SSRF), Follows of nobody; and the
delivery job's failures (retried, or not for a refusal), seen in the Delivery row."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo_civic.federation import deliveries, signatures
from geo_civic.federation.keys import _new_pair
from geo_civic.federation.models import Delivery, Follower

COMMUNE = "http://testserver/ap/communes/97415"
PRIVATE, PUBLIC = _new_pair()
VICTIM = "https://victim.example/users/alice"


class RemoteActor(BaseHTTPRequestHandler):
    """A remote actor on loopback: its document, and an inbox answering ``status``."""

    status = 202

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_port}"
        # /impostor claims to be an actor of another server, with a key of this one.
        ident = VICTIM if self.path.startswith("/impostor") else f"{base}/alice"
        key = f"{base}/impostor#key" if ident == VICTIM else f"{base}/alice#key"
        body = json.dumps({
            "id": ident, "type": "Person", "inbox": f"{base}/alice/inbox",
            "publicKey": {"id": key, "owner": ident, "publicKeyPem": PUBLIC},
        }).encode()  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/activity+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def alice() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RemoteActor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/alice"
    server.shutdown()
    server.server_close()


def post(client, path: str, activity: dict, key_id: str | None, now=None, body=None):
    body = body if body is not None else json.dumps(activity).encode()
    headers = {}
    if key_id:
        signed = signatures.sign("POST", f"http://testserver{path}", key_id, PRIVATE, body, now)
        headers = {f"HTTP_{name.upper()}": value for name, value in signed.items()}
    return client.generic("POST", path, body, content_type="application/activity+json", **headers)


def follow(actor: str, target: str = COMMUNE) -> dict:
    return {"id": f"{actor}/follows/1", "type": "Follow", "actor": actor, "object": target}


def assert_problem(response, status: int, words: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert words in response.json()["detail"]


@pytest.mark.django_db
def test_a_signed_follow_is_accepted_and_answered(client, reunion_communes, alice):
    response = post(client, "/ap/communes/97415/inbox", follow(alice), f"{alice}#key")
    assert response.status_code == 202, response.content
    follower = Follower.objects.get()
    assert follower.remote.uri == alice and follower.local_origin == "http://testserver"
    accept = Delivery.objects.get()
    assert accept.inbox == f"{alice}/inbox" and accept.activity["type"] == "Accept"
    assert accept.key_id == f"{COMMUNE}#main-key"
    # The job posts it (signed) and marks it done; a second run sends nothing.
    assert deliveries.attempt(accept.pk) == "delivered"
    assert deliveries.attempt(accept.pk) == "nothing to do"


@pytest.mark.django_db
def test_refusals(client, reunion_communes, alice):
    inbox = "/ap/communes/97415/inbox"
    unsigned = post(client, inbox, follow(alice), None)
    assert_problem(unsigned, 401, "not signed")
    assert unsigned["WWW-Authenticate"].startswith("Signature")
    stale = datetime.now(UTC) - timedelta(hours=1)
    assert_problem(post(client, inbox, follow(alice), f"{alice}#key", now=stale), 401, "clock")
    assert_problem(post(client, inbox, {}, f"{alice}#key", body=b"{not json"), 400, "not JSON")
    someone_else = follow("https://elsewhere.example/bob")
    assert_problem(post(client, inbox, someone_else, f"{alice}#key"), 401, "not the one")
    nobody = follow(alice, "http://testserver/ap/communes/00000")
    assert_problem(post(client, "/ap/inbox", nobody, f"{alice}#key"), 404, "none of our")
    elsewhere = follow(alice, "http://testserver/ap/communes/97411")
    assert_problem(post(client, inbox, elsewhere, f"{alice}#key"), 400, "another actor")
    unknown_key = f"{alice.rsplit('/', 1)[0]}/nobody#key"
    assert_problem(post(client, inbox, follow(alice), unknown_key), 401, "cannot be fetched")
    impostor = f"{alice.rsplit('/', 1)[0]}/impostor#key"
    assert_problem(post(client, inbox, follow(VICTIM), impostor), 401, "another server")
    assert not Follower.objects.exists() and not Delivery.objects.exists()


@pytest.mark.django_db
def test_keys_on_private_addresses_are_not_fetched(client, settings, reunion_communes, alice):
    settings.GEO_CIVIC_FEDERATION_ALLOW_PRIVATE = False
    response = post(client, "/ap/communes/97415/inbox", follow(alice), f"{alice}#key")
    assert_problem(response, 401, "a loopback address")
    for metadata in ("http://169.254.169.254/latest#key", "file:///etc/passwd#key"):
        response = post(client, "/ap/communes/97415/inbox", follow(alice), metadata)
        assert_problem(response, 401, "cannot be fetched")
    assert not Follower.objects.exists()


@pytest.mark.django_db
def test_failed_deliveries_are_kept_with_their_error(settings, reunion_communes, alice):
    from geo_civic.federation.local import find
    from geo_civic.federation.tasks import enqueue

    commune = find("commune", "97415")
    activity = {"id": f"{COMMUNE}#test", "type": "Create", "actor": COMMUNE}
    (pk,) = enqueue(commune, "http://testserver", activity, [f"{alice}/inbox"])
    assert enqueue(commune, "http://testserver", activity, [f"{alice}/inbox"]) == [pk]  # once
    settings.GEO_CIVIC_FEDERATION_ALLOW_PRIVATE = False
    with pytest.raises(deliveries.DeliveryFailed, match="loopback"):
        deliveries.attempt(pk)  # the job is retried by procrastinate
    settings.GEO_CIVIC_FEDERATION_ALLOW_PRIVATE = True
    RemoteActor.status = 503
    try:
        with pytest.raises(deliveries.DeliveryFailed, match="HTTP 503"):
            deliveries.attempt(pk)
        RemoteActor.status = 410
        assert deliveries.attempt(pk) == "refused"  # gone: not retried
    finally:
        RemoteActor.status = 202
    delivery = Delivery.objects.get(pk=pk)
    assert (delivery.attempts, delivery.done) == (3, False)
    assert "410" in delivery.last_error


@pytest.mark.django_db
def test_inboxes_are_rate_limited_per_address(client, settings, reunion_communes):
    settings.GEO_CIVIC_THROTTLE = True
    settings.GEO_CIVIC_RATE_INBOX = "2/h"
    unsigned = follow("https://elsewhere.example/bob")
    for _ in range(2):
        assert post(client, "/ap/inbox", unsigned, None).status_code == 401
    refused = post(client, "/ap/inbox", unsigned, None)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_the_admin_shows_failed_deliveries(admin_client, reunion_communes):
    Delivery.objects.create(
        activity_id=f"{COMMUNE}#x", activity={}, inbox="https://down.example/inbox",
        local_kind="commune", local_key="97415", key_id=f"{COMMUNE}#main-key", attempts=4,
        last_error="HTTP 503",
    )  # fmt: skip
    page = admin_client.get("/admin/federation/delivery/?done__exact=0").content.decode()
    assert "https://down.example/inbox" in page and "HTTP 503" in page
