"""``manage.py check --deploy``: notifications that would silently not reach anyone."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

CONSOLE = "django.core.mail.backends.console.EmailBackend"


@register("notifications", deploy=True)
def outgoing_mail(app_configs=None, **kwargs) -> list[Warning]:
    found = []
    if settings.EMAIL_BACKEND == CONSOLE:
        found.append(
            Warning(
                "GEO_CIVIC_EMAIL_URL is unset: e-mails (notifications, password resets) are "
                "printed on the console, not sent",
                hint="set GEO_CIVIC_EMAIL_URL=smtp://user:pass@host:587/?tls=1",
                id="geo_civic.notifications.W001",
            )
        )
    if not settings.GEO_CIVIC_SITE_URL.startswith("https://"):
        found.append(
            Warning(
                "GEO_CIVIC_SITE_URL is not https: links in e-mails and pushes point elsewhere "
                "than the public site",
                hint="set GEO_CIVIC_SITE_URL=https://your.domain",
                id="geo_civic.notifications.W002",
            )
        )
    return found
