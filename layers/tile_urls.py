from django.urls import path, re_path

from layers import views

urlpatterns = [
    path("<slug:name>.json", views.layer_tilejson, name="layer-tilejson"),
    re_path(
        r"^(?P<name>[-\w]+)/(?P<z>-?[0-9]{1,9})/(?P<x>-?[0-9]{1,12})/(?P<y>-?[0-9]{1,12})\.pbf$",
        views.layer_tile,
        name="layer-tile",
    ),
]
