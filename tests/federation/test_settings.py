"""Federation's settings: production refuses loopback and private addresses for federation,
and a misspelt inbox rate; the production scheme of ids is https."""

from __future__ import annotations

from tests.geo_civic.test_security_settings import GOOD_KEY, settings_in


def test_production_refuses_federation_to_private_addresses():
    result = settings_in(
        {"GEO_CIVIC_ENV": "production", "SECRET_KEY": GOOD_KEY,
         "GEO_CIVIC_FEDERATION_ALLOW_PRIVATE": "1"}
    )  # fmt: skip
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "GEO_CIVIC_FEDERATION_ALLOW_PRIVATE" in result.stderr


def test_a_bad_inbox_rate_is_refused():
    result = settings_in({"GEO_CIVIC_RATE_INBOX": "lots"})
    assert result.returncode != 0 and "GEO_CIVIC_RATE_INBOX" in result.stderr
