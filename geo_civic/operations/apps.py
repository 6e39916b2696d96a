from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running GeoCivic: the embedded database, backups, health and deployment checks."""

    name = "geo_civic.operations"

    def ready(self) -> None:
        from geo_civic.operations import database_checks  # noqa: F401 - registers the deploy check
