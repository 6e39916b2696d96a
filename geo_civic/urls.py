"""The roof: every part's URLs, mounted once. The only module that may import every layer."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView

from geo_civic.operations import health
from geo_civic.pages import api_docs

urlpatterns = [
    path("", include("geo_civic.pages.urls")),
    path("api/layers/", include("layers.urls")),
    path("api/imports/", include("importers.urls")),
    path("api/v1/", include("geo_civic.api_v1.urls")),
    # One OpenAPI 3.1 document for every JSON endpoint (also at /api/v1/schema/), and its page.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.docs_page, name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("layers.public_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("comptes/", include("geo_civic.accounts.urls")),
    path("", include("geo_civic.contributions.urls")),
    path("", include("layers.feeds.urls")),
    path("", include("geo_civic.fediverse.urls")),

    path("notifications/", include("geo_civic.notifications.urls")),
]
