from django.contrib import admin
from django.urls import include, path

from geo_civic import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("api/layers/", include("layers.urls")),
    path("admin/", admin.site.urls),
    path("comptes/", include("geo_civic.accounts.urls")),
    path("", include("geo_civic.contributions.urls")),
    path("", include("geo_civic.feeds.urls")),
]
