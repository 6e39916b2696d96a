from django.urls import path

from layers import views

urlpatterns = [
    path("<slug:name>.geojson", views.layer_geojson, name="layer-geojson"),
    path("<slug:name>.<slug:fmt>", views.layer_export, name="layer-export"),
]
