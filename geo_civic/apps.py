from django.apps import AppConfig


class GeoCivicConfig(AppConfig):
    """The project package: templates, static files and the demo command."""

    name = "geo_civic"
    verbose_name = "GeoCivic"
