from django.urls import path

from importers import views

urlpatterns = [
    path("communes", views.communes, name="import-communes"),
    path("actors", views.actors, name="import-actors"),
]
