"""Everything the read side serves besides ``/api/layers/``, mounted at the site's root."""

from django.urls import include, path

from layers import openapi, views

urlpatterns = [
    path("tiles/", include("layers.tile_urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("data/", views.catalogue, name="data-catalogue"),
    path("api/schema/", openapi.schema_view, name="api-schema"),
    path("api/docs/", openapi.docs_view, name="api-docs"),
]
