from django.urls import path

from layers import views

urlpatterns = [
    path("<slug:name>.geojson", views.layer_geojson, name="layer-geojson"),
]
