from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "geo_civic.actors"
    label = "actors"
    verbose_name = "Acteurs"
