from django.urls import include, path

from geo_civic.pages import actors, catalogue, communes, map

urlpatterns = [
    path("", map.map_page, name="map"),
    path("embed/", map.embed_page, name="embed"),
    path("manifest.webmanifest", map.manifest, name="manifest"),
    path("sw.js", map.service_worker, name="service-worker"),
    path("jsi18n/<str:language>/", catalogue.javascript_catalogue, name="javascript-catalogue"),
    path("communes/<str:code>/", communes.commune_page, name="commune"),
    path("acteurs/<int:pk>/", actors.actor_permalink, name="actor-permalink"),
    path("acteurs/<int:pk>-<slug:slug>/", actors.actor_detail, name="actor-detail"),
    path("actors/<int:pk>/", actors.actor_permalink),
    path("actors/<int:pk>-<slug:slug>/", actors.actor_permalink),
    # Local democracy: where I live, spaces, proposals (geo_civic/pages/democracy).
    path("", include("geo_civic.pages.democracy.urls")),

    path("", include("geo_civic.pages.social_urls")),
]
