"""``manage.py check --deploy``: ActivityPub ids need a fixed domain in production."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def domain_is_set(app_configs, **kwargs) -> list[Error]:
    """Without GEO_CIVIC_DOMAIN, ids would follow the Host header of each request."""
    if getattr(settings, "PRODUCTION", False) and not getattr(settings, "GEO_CIVIC_DOMAIN", ""):
        return [
            Error(
                "GEO_CIVIC_DOMAIN is unset: ActivityPub ids would change with the Host header",
                hint="Set GEO_CIVIC_DOMAIN to the public host name (e.g. geocivic.example.org).",
                id="geo_civic.federation.E001",
            )
        ]
    return []
