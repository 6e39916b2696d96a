"""The roof: every part's URLs, mounted once. The only module that may import every layer."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from geo_civic.operations import health

urlpatterns = [
    path("", include("geo_civic.pages.urls")),
    path("api/layers/", include("layers.urls")),
    path("api/imports/", include("importers.urls")),
    path("api/v1/", include("geo_civic.api_v1.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("layers.public_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("comptes/", include("geo_civic.accounts.urls")),
    path("", include("geo_civic.contributions.urls")),
    path("", include("layers.feeds.urls")),
    path("notifications/", include("geo_civic.notifications.urls")),
]
