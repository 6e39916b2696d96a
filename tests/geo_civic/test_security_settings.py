"""Production settings refuse unsafe configurations; every page carries a strict CSP."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT')}))"
)
GOOD_KEY = "x" * 50


def settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "GEO_CIVIC_DEBUG", "GEO_CIVIC_ENV"}
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={**clean, "DJANGO_SETTINGS_MODULE": "geo_civic.settings", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "env, reason",
    [
        ({}, "SECRET_KEY is unset"),
        ({"SECRET_KEY": GOOD_KEY, "GEO_CIVIC_DEBUG": "1"}, "DEBUG is on"),
        ({"SECRET_KEY": "short"}, "under 32 characters"),
    ],
)
def test_production_refuses_debug_or_a_weak_secret_key(env, reason):
    result = settings_in({"GEO_CIVIC_ENV": "production", **env})
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert reason in result.stderr


def test_production_secures_cookies_and_sets_hsts():
    result = settings_in({"GEO_CIVIC_ENV": "production", "SECRET_KEY": GOOD_KEY})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_SSL_REDIRECT": True,
    }


@pytest.mark.django_db
def test_map_page_forbids_inline_and_foreign_scripts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "https://tile.openstreetmap.org" in directives["img-src"]
    assert b"<script>" not in response.content  # no inline script on the page


def test_a_misspelt_yes_or_no_variable_is_refused_not_read_as_no():
    """``GEO_CIVIC_SSL_REDIRECT=flase`` must not quietly mean "off"."""
    result = settings_in(
        {"GEO_CIVIC_ENV": "production", "SECRET_KEY": GOOD_KEY, "GEO_CIVIC_SSL_REDIRECT": "flase"}
    )
    assert result.returncode != 0
    assert "GEO_CIVIC_SSL_REDIRECT must be true or false, not 'flase'" in result.stderr
