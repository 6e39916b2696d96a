from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "geo_civic.social"
    label = "social"
    verbose_name = _("Follow and news")

    def ready(self) -> None:
        # Activities are recorded when the lower apps' rows are saved (they never import us).
        from geo_civic.social import recording  # noqa: F401
