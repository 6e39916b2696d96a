from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "geo_civic.federation"
    label = "federation"
    verbose_name = _("Federation (ActivityPub)")

    def ready(self) -> None:
        from geo_civic.federation import announcements, checks  # noqa: F401  (signals, checks)
