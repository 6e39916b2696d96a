from django.contrib import admin
from django.urls import include, path

from geo_civic import views
from layers import openapi as layers_openapi
from layers import views as layers_views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("api/layers/", include("layers.urls")),
    path("tiles/", include("layers.tile_urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("data/", layers_views.catalogue, name="data-catalogue"),
    path("api/schema/", layers_openapi.schema_view, name="api-schema"),
    path("api/docs/", layers_openapi.docs_view, name="api-docs"),
    path("admin/", admin.site.urls),
]
