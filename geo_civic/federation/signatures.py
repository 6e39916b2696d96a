"""HTTP Signatures as the fediverse signs requests (draft-cavage-http-signatures-12, the scheme
Mastodon uses): ``(request-target) host date digest`` signed with rsa-sha256, ``Digest: SHA-256=``.

Verifying checks the digest against the body, the date within a replay window, and the signature
with the public key of ``keyId``; fetching that key is the caller's business (``remote.py``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Dates further than this from our clock are refused: a captured request cannot be replayed later.
REPLAY_WINDOW_S = 300
REQUIRED = ("(request-target)", "host", "date")


class SignatureError(Exception):
    """The request's signature is missing, malformed, stale or wrong (the reason in words)."""


def digest(body: bytes) -> str:
    """The ``Digest`` header of ``body`` (RFC 3230, SHA-256)."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def _signing_string(names: list[str], method: str, target: str, headers: Mapping[str, str]) -> str:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        else:
            lines.append(f"{name}: {headers[name]}")
    return "\n".join(lines)


def sign(
    method: str,
    url: str,
    key_id: str,
    private_pem: str,
    body: bytes | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """The headers that sign a request to ``url``: Host, Date, Digest (with a body), Signature."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = {
        "host": parts.netloc,
        "date": format_datetime(now or datetime.now(UTC), usegmt=True),
    }
    names = list(REQUIRED)
    if body is not None:
        headers["digest"] = digest(body)
        names.append("digest")
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    signed = key.sign(
        _signing_string(names, method, target, headers).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signed).decode()}"'
    )
    return {name.title(): value for name, value in headers.items()}


_PARAM = re.compile(r'\s*([a-zA-Z]+)="([^"]*)"\s*(?:,|$)')


def parse(header: str) -> dict[str, str]:
    """The parameters of a ``Signature`` header; SignatureError when it is not one."""
    params: dict[str, str] = {}
    position = 0
    header = header.strip()
    while position < len(header):
        match = _PARAM.match(header, position)
        if not match:
            raise SignatureError("the Signature header cannot be read")
        params[match.group(1)] = match.group(2)
        position = match.end()
    for needed in ("keyId", "signature"):
        if not params.get(needed):
            raise SignatureError(f"the Signature header has no {needed}")
    return params


def check_request(
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime | None = None,
) -> dict[str, str]:
    """Everything but the key: the Signature's parameters once the digest and date hold.

    ``headers`` must be looked up by lower-case names. A POST must sign its digest.
    """
    if "signature" not in headers:
        raise SignatureError("the request is not signed (no Signature header)")
    params = parse(headers["signature"])
    if params.get("algorithm", "rsa-sha256") not in ("rsa-sha256", "hs2019"):
        raise SignatureError(f"unsupported signature algorithm {params['algorithm'][:40]}")
    names = params.get("headers", "date").lower().split()
    needed = [*REQUIRED, "digest"] if method.upper() == "POST" else list(REQUIRED)
    missing = [name for name in needed if name not in names]
    if missing:
        raise SignatureError(f"the signature must cover {', '.join(missing)}")
    absent = [n for n in names if n != "(request-target)" and n not in headers]
    if absent:
        raise SignatureError(f"signed header missing from the request: {', '.join(absent)}")
    if "digest" in names:
        algorithm, _, value = headers["digest"].partition("=")
        if algorithm.upper() != "SHA-256" or value != digest(body).partition("=")[2]:
            raise SignatureError("the Digest header does not match the body")
    try:
        sent = parsedate_to_datetime(headers["date"])
    except (TypeError, ValueError):
        raise SignatureError("the Date header cannot be read") from None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    drift = abs(((now or datetime.now(UTC)) - sent).total_seconds())
    if drift > REPLAY_WINDOW_S:
        raise SignatureError(f"the Date header is {int(drift)} s away from our clock")
    params["signing_string"] = _signing_string(names, method, target, headers)
    return params


def verify(params: Mapping[str, str], public_pem: str) -> None:
    """Check the signature of ``params`` (from :func:`check_request`) with ``public_pem``."""
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
        signature = base64.b64decode(params["signature"], validate=True)
    except (ValueError, TypeError):
        raise SignatureError("the key or the signature cannot be read") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("only RSA keys are supported")
    try:
        key.verify(
            signature, params["signing_string"].encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        raise SignatureError("the signature does not match") from None
