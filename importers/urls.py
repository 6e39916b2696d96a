from django.urls import path

from importers import views

urlpatterns = [
    path("communes", views.communes, name="import-communes"),
    path("actors", views.actors, name="import-actors"),
    path("jobs/<int:pk>", views.import_job, name="import-job"),
]
