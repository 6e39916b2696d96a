"""One variable for outgoing mail: ``GEO_CIVIC_EMAIL_URL`` read into Django's EMAIL_* settings.

``smtp://user:pass@host:587/?tls=1`` (STARTTLS), ``smtps://user:pass@host`` (TLS from the first
byte, port 465), ``console:`` or unset (printed, for development). User and password are
percent-decoded, so any character can be given.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from geo_civic.web import params

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def email_settings(url: str) -> dict[str, Any]:
    """The EMAIL_* settings a URL stands for; a malformed URL is refused at start-up."""
    if not url.strip() or url.strip() == "console:":
        return {"EMAIL_BACKEND": CONSOLE}
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured("GEO_CIVIC_EMAIL_URL: the scheme is smtp, smtps or console")
    if not parts.hostname:
        raise ImproperlyConfigured("GEO_CIVIC_EMAIL_URL: no host")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(query) - {"tls", "timeout"})
    if unknown:
        raise ImproperlyConfigured(f"GEO_CIVIC_EMAIL_URL: unknown option {', '.join(unknown)}")
    try:
        tls = params.boolean("tls", query.get("tls", "0"))
        timeout = params.whole_number("timeout", query.get("timeout", "30"), minimum=1, maximum=600)
        port = parts.port
    except (params.ParameterError, ValueError) as exc:
        raise ImproperlyConfigured(f"GEO_CIVIC_EMAIL_URL: {exc}") from None
    ssl = parts.scheme == "smtps"
    if ssl and tls:
        raise ImproperlyConfigured("GEO_CIVIC_EMAIL_URL: smtps is already TLS, drop tls=1")
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if ssl else 587 if tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": timeout,
    }
