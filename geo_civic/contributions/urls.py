from django.urls import path

from geo_civic.contributions import views

urlpatterns = [
    path("acteurs/<int:pk>/modifier/", views.edit_actor, name="actor-edit"),
    path("acteurs/<int:pk>/co-editeurs/", views.add_co_editor, name="actor-co-editors"),
    path(
        "acteurs/<int:pk>/co-editeurs/accepter/<str:token>/",
        views.accept_co_editing,
        name="actor-co-editor-accept",
    ),
    path("acteurs/<int:pk>/signaler/", views.report_actor, name="actor-report"),
    path("acteurs/<int:pk>/historique/", views.actor_history, name="actor-history"),
    path(
        "acteurs/<int:pk>/historique/<int:revision_id>/retablir/",
        views.revert_actor,
        name="actor-revert",
    ),
    path("contribuer/", views.choose_kind, name="contribute"),
    path("contribuer/mes-fiches/", views.my_contributions, name="my-contributions"),
    path("contribuer/geocoder/", views.geocode, name="contribute-geocode"),
    path("contribuer/<str:kind>/", views.contribute, name="contribute-kind"),
    path("moderation/", views.moderation_queue, name="moderation-queue"),
    path("moderation/<int:pk>/", views.decide, name="moderation-decide"),
]
