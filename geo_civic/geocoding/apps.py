from django.apps import AppConfig


class GeocodingConfig(AppConfig):
    name = "geo_civic.geocoding"
    label = "geocoding"
    verbose_name = "Géocodage"
