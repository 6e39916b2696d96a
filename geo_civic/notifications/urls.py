from django.urls import path

from geo_civic.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("lues/", views.mark_read, name="notifications-read"),
    path("preferences/", views.preference_form, name="notification-preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="notifications-unsubscribe"),
]
