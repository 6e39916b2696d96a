from django.contrib import admin
from django.urls import include, path

from geo_civic import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("api/layers/", include("layers.urls")),
    path("", include("layers.public_urls")),
    path("admin/", admin.site.urls),
]
