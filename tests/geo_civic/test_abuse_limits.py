"""Rate limits on what sends e-mail, stores reports or costs a render: through real requests.

Each limit: the request past the rate is a 429 with ``Retry-After`` and a page (or JSON) saying
when to try again, and nothing happens; limits count per client address and per account; and
``GEO_CIVIC_THROTTLE`` off lets everything through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core import mail

from geo_civic.actors.models import Actor
from geo_civic.contributions.models import Report
from geo_civic.web import rate_limits

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
OTHER_IP = "192.0.2.7"
SAINT_PAUL = {"latitude": "-21.0096", "longitude": "55.2700"}


@pytest.fixture(autouse=True)
def mid_window(monkeypatch):
    """Limits count in fixed windows: a test must not straddle the end of one."""
    monkeypatch.setattr(rate_limits, "time", SimpleNamespace(time=lambda: 6_000_030.0))


def assert_refused(response, *, page: bool = True) -> int:
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    if page:
        assert "Try again in" in response.content.decode()
    return wait


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def marie():
    return User.objects.create_user("marie", "marie@example.org", "kaz-la-974-ok")


def reset(client, email: str, ip: str = "127.0.0.1"):
    return client.post("/comptes/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_password_resets_are_limited_per_address_and_per_e_mail(english, settings, marie):
    settings.GEO_CIVIC_RATE_PASSWORD_RESET = "2/h"
    assert reset(english, "marie@example.org").status_code == 302
    assert reset(english, "marie@example.org").status_code == 302
    assert len(mail.outbox) == 2
    assert_refused(reset(english, "marie@example.org"))
    assert_refused(reset(english, "marie@example.org", OTHER_IP))  # the same account elsewhere
    assert_refused(reset(english, "someone@example.org"))  # another account from here
    assert len(mail.outbox) == 2  # no e-mail sent past the limit
    assert reset(english, "someone@example.org", OTHER_IP).status_code == 302


def test_password_resets_are_not_limited_with_throttle_off(client, settings, marie):
    settings.GEO_CIVIC_RATE_PASSWORD_RESET = "1/h"
    settings.GEO_CIVIC_THROTTLE = False
    for _ in range(3):
        assert reset(client, "marie@example.org").status_code == 302
    assert len(mail.outbox) == 3


def sign_up(client, username: str, email: str, ip: str = "127.0.0.1"):
    return client.post(
        "/comptes/inscription/", {"username": username, "email": email}, REMOTE_ADDR=ip
    )


def test_sign_ups_are_limited_per_address_and_per_e_mail(english, settings):
    settings.GEO_CIVIC_RATE_SIGNUP = "2/h"
    assert sign_up(english, "paul", "paul@example.org").status_code == 302
    assert sign_up(english, "paul-b", "PAUL@example.org", OTHER_IP).status_code == 302
    assert_refused(sign_up(english, "paul-c", "paul@example.org", "192.0.2.8"))  # per e-mail
    assert sign_up(english, "jeanne", "jeanne@example.org").status_code == 302
    assert_refused(sign_up(english, "luc", "luc@example.org"))  # per address
    # A form error (here a malformed e-mail address) costs no quota and answers as usual.
    assert sign_up(english, "zoe", "not-an-address").status_code == 200
    assert len(mail.outbox) == 3 and not User.objects.exists()
    assert sign_up(english, "luc", "luc@example.org", "192.0.2.8").status_code == 302


def test_sign_ups_are_not_limited_with_throttle_off(client, settings):
    settings.GEO_CIVIC_RATE_SIGNUP = "1/h"
    settings.GEO_CIVIC_THROTTLE = False
    for n in range(3):
        assert sign_up(client, f"user{n}", "same@example.org").status_code == 302
    assert len(mail.outbox) == 3


@pytest.fixture
def garden(reunion_communes):
    return Actor.objects.create(kind="place", name="Jardin", point="POINT(55.27 -21.0096)")


def report(client, actor: Actor, ip: str = "127.0.0.1"):
    return client.post(f"/acteurs/{actor.pk}/signaler/", {"reason": "Fermé"}, REMOTE_ADDR=ip)


def test_reports_are_limited_per_address_and_per_account(english, settings, garden, marie):
    settings.GEO_CIVIC_RATE_REPORT = "2/h"
    assert report(english, garden).status_code == 302
    assert report(english, garden).status_code == 302
    assert_refused(report(english, garden))
    assert Report.objects.count() == 2
    english.force_login(marie)  # an account reports from two addresses
    assert report(english, garden, OTHER_IP).status_code == 302
    assert report(english, garden, "192.0.2.8").status_code == 302
    assert_refused(report(english, garden, "192.0.2.9"))
    assert Report.objects.count() == 4
    assert report(english, garden, "2001:db8::1").status_code == 429  # still the same account
    english.logout()
    english.cookies["django_language"] = "en"  # logging out forgets every cookie
    assert report(english, garden, "2001:db8::1").status_code == 302
    assert report(english, garden, "2001:db8::2").status_code == 302
    assert_refused(report(english, garden, "2001:db8::3"))  # one IPv6 /64 is one client
    assert report(english, garden, "2001:db8:0:1::1").status_code == 302
    assert Report.objects.count() == 7


def test_behind_a_reverse_proxy_each_client_counts_alone(english, settings, garden):
    settings.GEO_CIVIC_PROXY_COUNT = 1
    settings.GEO_CIVIC_RATE_REPORT = "1/h"

    def report_via_proxy(forwarded_for: str):
        return english.post(
            f"/acteurs/{garden.pk}/signaler/",
            {"reason": "Fermé"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    assert report_via_proxy("198.51.100.1").status_code == 302
    assert report_via_proxy("198.51.100.2").status_code == 302
    # What the client wrote before the proxy's entry changes nothing.
    assert_refused(report_via_proxy("203.0.113.9, 198.51.100.1"))
    assert Report.objects.count() == 2


def test_reports_are_not_limited_with_throttle_off(client, settings, garden):
    settings.GEO_CIVIC_RATE_REPORT = "1/h"
    settings.GEO_CIVIC_THROTTLE = False
    for _ in range(3):
        assert report(client, garden).status_code == 302
    assert Report.objects.count() == 3


def preview(client, ip: str = "127.0.0.1"):
    form = {"name": "Jardin partagé", "summary": "Ouvert", "place_type": "shared_garden",
            **SAINT_PAUL, "preview": "1"}  # fmt: skip
    return client.post("/contribuer/place/", form, REMOTE_ADDR=ip)


def test_previews_are_limited_per_account_and_answer_json_to_programs(
    english, settings, reunion_communes, marie
):
    settings.GEO_CIVIC_RATE_PREVIEW = "2/m"
    english.force_login(marie)
    assert preview(english).status_code == 200
    assert preview(english, OTHER_IP).status_code == 200
    assert_refused(preview(english, "192.0.2.8"))
    refused = english.post("/contribuer/place/", {"preview": "1"}, HTTP_ACCEPT="application/json")
    wait = assert_refused(refused, page=False)
    assert wait == 30  # the end of the minute
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json() == {
        "type": "about:blank",
        "title": "Too Many Requests",
        "status": 429,
        "detail": f"too many requests: try again in {wait} s",
        "retry_after": wait,
    }
    assert not Actor.objects.exists()
    # Saving is not a preview: still allowed.
    form = {"name": "Jardin partagé", "summary": "Ouvert", "place_type": "shared_garden",
            **SAINT_PAUL, "submit": "1"}  # fmt: skip
    assert english.post("/contribuer/place/", form).status_code == 302
    assert Actor.objects.count() == 1


def test_previews_are_not_limited_with_throttle_off(client, settings, reunion_communes, marie):
    settings.GEO_CIVIC_RATE_PREVIEW = "1/h"
    settings.GEO_CIVIC_THROTTLE = False
    client.force_login(marie)
    assert [preview(client).status_code for _ in range(3)] == [200, 200, 200]


def test_invitations_by_e_mail_are_limited_per_account_known_address_or_not(
    english, settings, reunion_communes, marie
):
    settings.GEO_CIVIC_RATE_INVITATION = "2/h"
    garden = Actor.objects.create(
        kind="place", name="Jardin", point="POINT(55.27 -21.0096)", owner=marie
    )
    english.force_login(marie)
    User.objects.create_user("paul", "paul@example.org", "autre-974-ok")
    share = f"/acteurs/{garden.pk}/co-editeurs/"
    assert english.post(share, {"username": "nobody@example.org"}).status_code == 302
    assert (
        english.post(share, {"username": "paul@example.org"}, REMOTE_ADDR=OTHER_IP).status_code
        == 302
    )
    assert_refused(english.post(share, {"username": "paul@example.org"}, REMOTE_ADDR="192.0.2.8"))
    assert len(mail.outbox) == 1  # to paul, the one address with an account
    assert english.post(share, {"username": "paul"}).status_code == 302  # by name: no e-mail
    assert list(garden.co_editors.values_list("username", flat=True)) == ["paul"]


def test_the_refusal_page_is_french_by_default(client, settings, garden):
    settings.GEO_CIVIC_RATE_REPORT = "1/h"
    report(client, garden)
    page = report(client, garden).content.decode()
    assert "Trop de tentatives" in page and "Réessayez dans" in page


def test_file_exports_are_not_limited_with_throttle_off(client, settings, reunion_communes):
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 1
    assert client.get("/api/layers/communes.csv").status_code == 200
    refused = client.get("/api/layers/communes.kml")
    assert refused.status_code == 429 and "too many exports" in refused.json()["detail"]
    settings.GEO_CIVIC_THROTTLE = False
    assert client.get("/api/layers/communes.kml").status_code == 200


def run_django(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GEO_CIVIC_")}
    clean.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "geo_civic.settings", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


SHOW_SWITCHES = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.GEO_CIVIC_THROTTLE, s.AXES_ENABLED]))"
)
RUN_CHECKS = "import django; django.setup(); from django.core.management import call_command; "
RUN_CHECKS += "call_command('check')"


def test_throttle_off_turns_the_login_lockout_off_too_and_warns_at_start():
    assert json.loads(run_django(SHOW_SWITCHES, {}).stdout) == [True, True]
    off = run_django(SHOW_SWITCHES, {"GEO_CIVIC_THROTTLE": "off"})
    assert json.loads(off.stdout) == [False, False]
    checked = run_django(RUN_CHECKS, {"GEO_CIVIC_THROTTLE": "off"})
    assert checked.returncode == 0, checked.stderr
    assert "geo_civic.W002" in checked.stderr and "GEO_CIVIC_THROTTLE is off" in checked.stderr
    assert "W002" not in run_django(RUN_CHECKS, {}).stderr
    # An empty value is the default, never "off".
    assert json.loads(run_django(SHOW_SWITCHES, {"GEO_CIVIC_THROTTLE": ""}).stdout) == [True, True]


def test_production_refuses_to_start_with_throttle_off():
    result = run_django(
        SHOW_SWITCHES,
        {"GEO_CIVIC_ENV": "production", "SECRET_KEY": "x" * 50, "GEO_CIVIC_THROTTLE": "off"},
    )
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "GEO_CIVIC_THROTTLE is off" in result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        ({"GEO_CIVIC_THROTTLE": "of"}, "GEO_CIVIC_THROTTLE must be true or false, not 'of'"),
        ({"GEO_CIVIC_RATE_SIGNUP": "5/x"}, "GEO_CIVIC_RATE_SIGNUP: rate '5/x'"),
        ({"GEO_CIVIC_RATE_REPORT": "0/h"}, "GEO_CIVIC_RATE_REPORT: rate '0/h'"),
        ({"GEO_CIVIC_RATE_PREVIEW": "5/00m"}, "GEO_CIVIC_RATE_PREVIEW: rate '5/00m'"),
    ],
)
def test_a_malformed_limit_setting_stops_the_start(env, message):
    result = run_django(SHOW_SWITCHES, env)
    assert result.returncode != 0
    assert message in result.stderr
