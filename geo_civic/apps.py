from django.apps import AppConfig
from django.core import checks


class GeoCivicConfig(AppConfig):
    """The project package: templates, static files and the demo command."""

    name = "geo_civic"
    verbose_name = "GeoCivic"

    def ready(self) -> None:
        from geo_civic import database_checks  # noqa: F401 - registers the deploy check
        from geo_civic.rate_limits import throttle_off_warning

        checks.register(throttle_off_warning)
