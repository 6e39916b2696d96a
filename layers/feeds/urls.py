from django.urls import path

from layers.feeds import views

urlpatterns = [
    path("agenda.ics", views.agenda, name="agenda"),
    path("communes/<str:code>/agenda.ics", views.commune_agenda, name="commune-agenda"),
    path("categories/<slug:slug>/agenda.ics", views.category_agenda, name="category-agenda"),
    path("communes/<str:code>/nouveautes.atom", views.CommuneNews(), name="commune-news"),
]
