"""Web Push (RFC 8030, payloads encrypted per RFC 8291, signed with VAPID per RFC 8292).

The key pair is made on first use and kept in the database (or given by settings), so every
worker signs with the same key the browsers subscribed with. An endpoint that answers 404 or 410
is a subscription the browser dropped: it is deleted.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import socket
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from py_vapid import Vapid02 as Vapid
from pywebpush import WebPushException, webpush

from geo_civic.notifications.models import Notification, PushSubscription, VapidKey
from geo_civic.notifications.preferences import EFFECTIVE_PUSH
from geo_civic.web.params import ParameterError

GONE = {404, 410}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _public(vapid: Vapid) -> str:
    return _b64(
        vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def vapid() -> tuple[Vapid, str]:
    """The server's VAPID key and its public key (base64url), made once, whoever asks first."""
    if settings.GEO_CIVIC_VAPID_PRIVATE_KEY:
        key = Vapid.from_pem(settings.GEO_CIVIC_VAPID_PRIVATE_KEY.encode())
        return key, _public(key)
    stored = VapidKey.objects.order_by("pk").first()
    if stored is None:
        with transaction.atomic():
            with connection.cursor() as cursor:  # two first uses at once make one key
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('geo_civic.vapid'))")
            stored = VapidKey.objects.order_by("pk").first()
            if stored is None:
                made = Vapid()
                made.generate_keys()
                stored = VapidKey.objects.create(
                    private_pem=made.private_pem().decode(), public_key=_public(made)
                )
    return Vapid.from_pem(stored.private_pem.encode()), stored.public_key


def check_endpoint(endpoint: str) -> None:
    """A push service is a public https server: never our own network (SSRF)."""
    parts = urlsplit(endpoint)
    if (
        settings.GEO_CIVIC_PUSH_ALLOW_PRIVATE
        and parts.scheme in ("http", "https")
        and parts.hostname
    ):
        return
    if parts.scheme != "https" or not parts.hostname:
        raise ParameterError("endpoint is an https URL", "endpoint")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ParameterError("endpoint's host is unknown", "endpoint") from None
    if not all(ipaddress.ip_address(info[4][0]).is_global for info in infos):
        raise ParameterError("endpoint is not a public address", "endpoint")


def subscribe(user, data) -> PushSubscription:
    """Keep a browser's subscription (the same endpoint again moves it to this person)."""
    if not isinstance(data, dict):
        raise ParameterError("the body is a JSON object")
    endpoint, keys = data.get("endpoint"), data.get("keys")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise ParameterError("endpoint is a URL of at most 1000 characters", "endpoint")
    if not isinstance(keys, dict):
        raise ParameterError("keys holds p256dh and auth", "keys")
    decoded = {}
    for name, size in (("p256dh", 65), ("auth", 16)):
        value = keys.get(name)
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (TypeError, ValueError):
            raw = b""
        if len(raw) != size:
            raise ParameterError(f"keys.{name} is {size} bytes in base64url", name)
        decoded[name] = value
    check_endpoint(endpoint)
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, **decoded}
    )
    return subscription


def send_push(key: str) -> int:
    """The pushes of one event to those who turned push on; returns how many were delivered."""
    users = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT n.id FROM {Notification._meta.db_table} n
              JOIN {users} u ON u.id = n.user_id
              LEFT JOIN notifications_preference p ON p.user_id = n.user_id
             WHERE n.key = %s AND n.pushed_at IS NULL AND u.is_active AND {EFFECTIVE_PUSH}
               AND EXISTS (SELECT 1 FROM notifications_pushsubscription s
                            WHERE s.user_id = n.user_id)
            """,  # noqa: S608 (our table names; the key is a parameter)
            [key],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return 0
    key_pair, _public_key = vapid()
    delivered = 0
    for notification in Notification.objects.filter(pk__in=ids):
        payload = json.dumps(
            {"title": notification.title, "body": notification.body[:300], "url": notification.url}
        )
        for subscription in PushSubscription.objects.filter(user_id=notification.user_id):
            info = {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            }
            try:
                check_endpoint(subscription.endpoint)
                webpush(
                    info,
                    data=payload,
                    vapid_private_key=key_pair,
                    vapid_claims={"sub": settings.GEO_CIVIC_VAPID_SUBJECT},
                    ttl=86400,
                    timeout=10,
                )
                delivered += 1
            except WebPushException as exc:
                status = getattr(exc.response, "status_code", None)
                if status in GONE:
                    subscription.delete()
                    continue
                raise
            except ParameterError:
                subscription.delete()  # its address turned private: never post there
        Notification.objects.filter(pk=notification.pk).update(pushed_at=timezone.now())
    return delivered
