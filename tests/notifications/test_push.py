"""Web Push end to end: a loopback HTTP server plays the push service; the test decrypts the
payload with the subscription's private key (http-ece, RFC 8291) and checks the VAPID JWT
(RFC 8292) against the key the API publishes. Gone subscriptions (404/410) are deleted."""

from __future__ import annotations

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from geo_civic.notifications.delivery import notify
from geo_civic.notifications.models import PushSubscription, VapidKey
from geo_civic.notifications.tasks import deliver
from tests.notifications.conftest import person

pytestmark = pytest.mark.django_db


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService(ThreadingHTTPServer):
    """Answers each POST with ``status`` and keeps what it received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 201
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers["Content-Length"])
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.received.append((self.path, headers, self.rfile.read(length)))
                self.send_response(server.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def push_service(settings):
    settings.GEO_CIVIC_PUSH_ALLOW_PRIVATE = True
    service = PushService()
    thread = threading.Thread(target=service.serve_forever, daemon=True)
    thread.start()
    yield service
    service.shutdown()
    service.server_close()


def browser_keys() -> tuple[ec.EllipticCurvePrivateKey, dict[str, str]]:
    """What a browser makes when subscribing: a P-256 key pair and a 16-byte auth secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private, {"p256dh": b64(public), "auth": b64(os.urandom(16))}


def verify_vapid(authorization: str, public_key: str, audience: str) -> dict:
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header, claims, signature = fields["t"].split(".")
    assert json.loads(unb64(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(public_key))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):
        key.verify(der, f"{header}.{claims}x".encode(), ec.ECDSA(hashes.SHA256()))
    decoded = json.loads(unb64(claims))
    assert decoded["aud"] == audience
    return decoded


def test_a_push_is_encrypted_for_the_browser_and_signed_with_our_vapid_key(client, push_service):
    ana = person("ana", push=True)
    client.force_login(ana)
    public_key = client.get("/api/v1/push/key").json()["publicKey"]
    assert client.get("/api/v1/push/key").json()["publicKey"] == public_key  # made once
    assert VapidKey.objects.count() == 1 and len(unb64(public_key)) == 65
    private, keys = browser_keys()
    endpoint = f"http://127.0.0.1:{push_service.server_port}/push/ana-device"
    subscribed = client.post("/api/v1/push/subscriptions", {"endpoint": endpoint, "keys": keys},
                             content_type="application/json")  # fmt: skip
    assert subscribed.status_code == 201 and subscribed.json()["id"]
    notify([ana.pk], kind="proposal_voting", title="Le vote est ouvert", url="/p/3",
           key="vote:3", body="Jusqu'au 12")  # fmt: skip
    assert deliver(key="vote:3") == {"emails": 0, "pushes": 1}
    assert deliver(key="vote:3") == {"emails": 0, "pushes": 0}  # never twice
    ((path, headers, body),) = push_service.received
    assert path == "/push/ana-device" and headers["content-encoding"] == "aes128gcm"
    assert b"Le vote" not in body  # encrypted on the wire
    plain = http_ece.decrypt(body, private_key=private, auth_secret=unb64(keys["auth"]))
    assert json.loads(plain) == {
        "title": "Le vote est ouvert",
        "body": "Jusqu'au 12",
        "url": "/p/3",
    }
    claims = verify_vapid(
        headers["authorization"], public_key, f"http://127.0.0.1:{push_service.server_port}"
    )
    assert claims["sub"].startswith("mailto:")


def test_gone_subscriptions_are_deleted_and_push_off_sends_nothing(client, push_service):
    ana, bob = person("ana", push=True), person("bob")  # bob: push off (the default)
    for user, name in ((ana, "ana"), (bob, "bob")):
        PushSubscription.objects.create(
            user=user, endpoint=f"http://127.0.0.1:{push_service.server_port}/{name}",
            **browser_keys()[1],
        )  # fmt: skip
    push_service.status = 410
    notify([ana.pk, bob.pk], kind="news", title="t", url="/", key="n1")
    assert deliver(key="n1")["pushes"] == 0
    assert [path for path, _, _ in push_service.received] == ["/ana"]
    assert list(PushSubscription.objects.values_list("user__username", flat=True)) == ["bob"]


def test_subscriptions_refuse_private_addresses_and_bad_keys(client, settings):
    settings.GEO_CIVIC_PUSH_ALLOW_PRIVATE = False
    ana = person("ana")
    client.force_login(ana)
    keys = browser_keys()[1]
    for endpoint, given in [("https://127.0.0.1/p", keys), ("http://push.example.org/p", keys),
                            ("https://10.1.2.3/p", keys), ("https://localhost/p", keys),
                            ("https://push.example.org/p", {"p256dh": "abc", "auth": keys["auth"]}),
                            ("https://push.example.org/p", {"auth": keys["auth"]})]:  # fmt: skip
        response = client.post("/api/v1/push/subscriptions", {"endpoint": endpoint, "keys": given},
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 400, endpoint
        assert response["Content-Type"] == "application/problem+json"
    assert not PushSubscription.objects.exists()
    mine = PushSubscription.objects.create(user=ana, endpoint="https://p.example.org/1", **keys)
    other = PushSubscription.objects.create(
        user=person("bob"), endpoint="https://p.example.org/2", **browser_keys()[1]
    )
    assert client.delete(f"/api/v1/push/subscriptions/{other.pk}").status_code == 404
    assert client.delete(f"/api/v1/push/subscriptions/{mine.pk}").status_code == 204
    assert list(PushSubscription.objects.all()) == [other]
