"""E-mail through a real SMTP server: immediate and digests, each with RFC 8058 one-click
unsubscribe that works without a session or CSRF token, and only with our signed token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from geo_civic.notifications import emails, preferences
from geo_civic.notifications.delivery import notify
from geo_civic.notifications.models import DigestSent, Notification
from geo_civic.notifications.tasks import deliver
from geo_civic.web.email_url import email_settings
from tests.notifications.conftest import person


def test_one_url_configures_smtp():
    assert email_settings("") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    tls = email_settings("smtp://ana%40mairie:p%2Fss@mail.example.org:587/?tls=1")
    assert tls["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (tls["EMAIL_HOST"], tls["EMAIL_PORT"], tls["EMAIL_USE_TLS"], tls["EMAIL_USE_SSL"]) == (
        "mail.example.org",
        587,
        True,
        False,
    )
    assert (tls["EMAIL_HOST_USER"], tls["EMAIL_HOST_PASSWORD"]) == ("ana@mairie", "p/ss")
    ssl = email_settings("smtps://u:p@mail.example.org")
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (465, True, False)
    for wrong in (
        "http://x",
        "smtp://",
        "smtp://h/?tls=maybe",
        "smtp://h/?tsl=1",
        "smtps://h/?tls=1",
    ):
        with pytest.raises(ImproperlyConfigured):
            email_settings(wrong)


@pytest.mark.django_db
def test_immediate_email_reaches_the_smtp_server_with_one_click_unsubscribe(smtp):
    ana = person("ana", email="immediate")
    person("bob")  # the default: a daily digest, nothing at once
    person("cy", email="immediate", kinds={"news": {"email": "none"}})
    users = [u.pk for u in type(ana).objects.all()]
    notify(users, kind="news", title="Marché forain", url="/actualites/7", key="a:7", body="Samedi")
    assert deliver(key="a:7") == {"emails": 1, "pushes": 0}
    assert deliver(key="a:7") == {"emails": 0, "pushes": 0}  # idempotent: nothing twice
    (mail,) = smtp.messages
    assert mail["To"] == "ana@example.org" and mail["Subject"] == "Marché forain"
    text = mail.get_payload(decode=True).decode()
    assert "Samedi" in text and "https://civic.example.org/actualites/7" in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = (part.strip(" <>") for part in mail["List-Unsubscribe"].split(","))
    assert https.startswith("https://civic.example.org/notifications/unsubscribe/")
    assert mailto.startswith("mailto:")
    path = https.removeprefix("https://civic.example.org")
    mail_client = Client(enforce_csrf_checks=True)  # a mail client: no session, no CSRF token
    confirm = mail_client.get(path)
    assert confirm.status_code == 200 and b"<form" in confirm.content
    assert preferences.of(ana)["email"] == "immediate"  # a GET (link scanner) changes nothing
    assert mail_client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert preferences.of(ana)["email"] == "none"
    notify([ana.pk], kind="news", title="Encore", url="/actualites/8", key="a:8")
    assert deliver(key="a:8")["emails"] == 0


@pytest.mark.django_db
def test_unsubscribe_takes_only_our_signed_token(client):
    ana = person("ana", email="immediate", kinds={"news": {"email": "immediate", "push": True}})
    token = emails.unsubscribe_token(ana.pk)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for wrong in (forged, "12", str(ana.pk)):
        assert client.post(f"/notifications/unsubscribe/{wrong}/").status_code == 400
    assert preferences.of(ana)["email"] == "immediate"
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert preferences.of(ana) == {
        "email": "none",
        "push": False,
        "kinds": {"news": {"push": True}},
    }


@pytest.mark.django_db
def test_digests_go_once_per_period_to_those_who_chose_them(smtp):
    daily = person("dana")
    person("wes", email="weekly")
    person("nina", email="none")
    person("imm", email="immediate")
    everyone = [u.pk for u in type(daily).objects.all()]
    for i in range(3):
        notify(everyone, kind="event", title=f"Fête {i}", url=f"/e/{i}", key=f"e:{i}")
    now = timezone.now() + timedelta(seconds=1)
    assert emails.send_digests("daily", now) == 1
    assert emails.send_digests("daily", now) == 0  # the same day again: nothing
    (mail,) = smtp.messages
    assert mail["To"] == "dana@example.org" and "3" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert all(f"Fête {i}" in body for i in range(3)) and mail["List-Unsubscribe-Post"]
    assert emails.send_digests("weekly", now) == 1
    assert smtp.to("wes@example.org") and not smtp.to("nina@example.org")
    assert DigestSent.objects.count() == 2
    assert not Notification.objects.filter(user=daily, emailed_at__isnull=True).exists()
    # A new notification the same day waits for the next period's digest.
    notify([daily.pk], kind="news", title="Tard", url="/n", key="late")
    assert emails.send_digests("daily", now + timedelta(minutes=1)) == 0
    assert emails.send_digests("daily", now + timedelta(days=1)) == 1


def test_deploy_checks_warn_of_mail_that_would_not_leave(settings):
    from geo_civic.notifications.checks import outgoing_mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.GEO_CIVIC_SITE_URL = "http://127.0.0.1:8000"
    ids = [w.id for w in outgoing_mail()]
    assert ids == ["geo_civic.notifications.W001", "geo_civic.notifications.W002"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.GEO_CIVIC_SITE_URL = "https://civic.example.org"
    assert outgoing_mail() == []


def test_the_old_variable_is_refused_and_the_url_is_read_at_start_up():
    import os
    import subprocess
    import sys

    from django.conf import settings

    show = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)")  # fmt: skip
    base = {k: v for k, v in os.environ.items() if not k.startswith("GEO_CIVIC_EMAIL")}
    base["DJANGO_SETTINGS_MODULE"] = "geo_civic.settings"

    def run(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", show], env={**base, **env},
                              cwd=settings.BASE_DIR, capture_output=True, text=True)  # fmt: skip

    sent = run(GEO_CIVIC_EMAIL_URL="smtp://u:p@mail.example.org:587/?tls=1")
    assert sent.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "587",
        "True",
    ]
    old = run(GEO_CIVIC_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    assert old.returncode != 0 and "GEO_CIVIC_EMAIL_URL" in old.stderr
