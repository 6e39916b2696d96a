"""HTTP Signatures (draft-cavage, as Mastodon signs): what we sign verifies; a changed body, a
stale date, a missing header or another key is refused with the reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from geo_civic.federation import signatures
from geo_civic.federation.keys import _new_pair

URL = "https://remote.example/users/alice/inbox"
BODY = b'{"type": "Follow"}'


@pytest.fixture(scope="module")
def pair() -> tuple[str, str]:
    return _new_pair()


def received(headers: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def test_a_signed_post_verifies(pair):
    private, public = pair
    headers = received(
        signatures.sign("POST", URL, "https://us.example/ap/x#main-key", private, BODY)
    )
    assert headers["digest"] == signatures.digest(BODY)
    assert 'headers="(request-target) host date digest"' in headers["signature"]
    params = signatures.check_request("POST", "/users/alice/inbox", headers, BODY)
    assert params["keyId"] == "https://us.example/ap/x#main-key"
    signatures.verify(params, public)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h, b: (h, b + b" "), "Digest header does not match"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "signature"}, b), "not signed"),
        (lambda h, b: ({**h, "signature": "garbage"}, b), "cannot be read"),
        (
            lambda h, b: ({k: v for k, v in h.items() if k != "digest"}, b),
            "missing from the request",
        ),
    ],
)
def test_a_changed_request_is_refused(pair, change, reason):
    private, _ = pair
    headers = received(signatures.sign("POST", URL, "k", private, BODY))
    headers, body = change(headers, BODY)
    with pytest.raises(signatures.SignatureError, match=reason):
        signatures.check_request("POST", "/users/alice/inbox", headers, body)


def test_another_target_or_key_does_not_verify(pair):
    private, public = pair
    headers = received(signatures.sign("POST", URL, "k", private, BODY))
    params = signatures.check_request("POST", "/users/bob/inbox", headers, BODY)
    with pytest.raises(signatures.SignatureError, match="does not match"):
        signatures.verify(params, public)
    params = signatures.check_request("POST", "/users/alice/inbox", headers, BODY)
    with pytest.raises(signatures.SignatureError, match="does not match"):
        signatures.verify(params, _new_pair()[1])


def test_a_replayed_request_is_refused(pair):
    private, _ = pair
    old = datetime.now(UTC) - timedelta(minutes=10)
    headers = received(signatures.sign("POST", URL, "k", private, BODY, now=old))
    with pytest.raises(signatures.SignatureError, match="away from our clock"):
        signatures.check_request("POST", "/users/alice/inbox", headers, BODY)


def test_a_post_must_sign_its_digest(pair):
    private, _ = pair
    headers = received(signatures.sign("GET", URL, "k", private))  # no digest signed
    headers["digest"] = signatures.digest(BODY)
    with pytest.raises(signatures.SignatureError, match="must cover digest"):
        signatures.check_request("POST", "/users/alice/inbox", headers, BODY)
