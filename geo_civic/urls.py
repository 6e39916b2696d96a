from django.contrib import admin
from django.urls import include, path

from geo_civic import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("api/layers/", include("layers.urls")),
    path("tiles/", include("layers.tile_urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("admin/", admin.site.urls),
]
