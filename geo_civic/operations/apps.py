from django.apps import AppConfig
from django.core import checks


class OperationsConfig(AppConfig):
    """Running GeoCivic: the embedded database, backups, health and start-up checks."""

    name = "geo_civic.operations"

    def ready(self) -> None:
        from geo_civic.operations import database_checks  # noqa: F401 - registers the deploy check
        from geo_civic.web.rate_limits import throttle_off_warning

        checks.register(throttle_off_warning)
