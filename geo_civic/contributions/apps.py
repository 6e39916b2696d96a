from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "geo_civic.contributions"
    label = "contributions"
    verbose_name = "Contributions et modération"
