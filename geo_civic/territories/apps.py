from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "geo_civic.territories"
    label = "territories"
    verbose_name = "Territoires"
