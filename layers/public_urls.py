"""Everything the read side serves besides ``/api/layers/``, mounted at the site's root."""

from django.urls import include, path

from layers import categories, clusters, first_view, nearby, places, views

urlpatterns = [
    path("tiles/", include("layers.tile_urls")),
    path("api/places", places.places, name="places"),
    path("api/nearby", nearby.nearby, name="nearby"),
    path("api/map/clusters", clusters.clusters, name="map-clusters"),
    path("api/map/first-view", first_view.first_view_answer, name="map-first-view"),
    path("ogc/", include("layers.ogc_urls")),
    path("data/", views.catalogue, name="data-catalogue"),
    path("api/categories", categories.categories, name="api-categories"),
]
