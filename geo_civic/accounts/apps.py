from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "geo_civic.accounts"
    label = "accounts"
    verbose_name = "Comptes"
