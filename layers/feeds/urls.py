from django.urls import path

from layers.feeds import democracy, views

urlpatterns = [
    path("agenda.ics", views.agenda, name="agenda"),
    path("communes/<str:code>/agenda.ics", views.commune_agenda, name="commune-agenda"),
    path("categories/<slug:slug>/agenda.ics", views.category_agenda, name="category-agenda"),
    path("communes/<str:code>/nouveautes.atom", views.CommuneNews(), name="commune-news"),
]

# Local democracy: a space's vote deadlines and news (layers/feeds/democracy.py).
urlpatterns += [
    path("espaces/<int:pk>/echeances.ics", democracy.space_deadlines, name="space-deadlines"),
    path("espaces/<int:pk>/nouveautes.atom", democracy.SpaceNews(), name="space-news"),
]
