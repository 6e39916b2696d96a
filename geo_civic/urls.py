from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from geo_civic import clusters, commune_pages, health, nearby, places, views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("embed/", views.embed_page, name="embed"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("api/places", places.places, name="places"),
    path("api/nearby", nearby.nearby, name="nearby"),
    path("api/map/clusters", clusters.clusters, name="map-clusters"),
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
    path("", include("geo_civic.feeds.urls")),
    path("communes/<str:code>/", commune_pages.commune_page, name="commune"),
]
