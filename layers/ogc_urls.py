from django.urls import path

from layers import ogc

urlpatterns = [
    path("", ogc.landing, name="ogc-landing"),
    path("api", ogc.openapi, name="ogc-openapi"),
    path("conformance", ogc.conformance, name="ogc-conformance"),
    path("collections", ogc.collections, name="ogc-collections"),
    path("collections/<slug:name>", ogc.collection, name="ogc-collection"),
    path("collections/<slug:name>/schema", ogc.schema, name="ogc-schema"),
    path("collections/<slug:name>/items", ogc.items, name="ogc-items"),
    path("collections/<slug:name>/items/<str:fid>", ogc.item, name="ogc-item"),
]
