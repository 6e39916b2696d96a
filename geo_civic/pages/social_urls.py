"""Pages of follow and news, and the uploaded (re-encoded) news images under MEDIA_URL."""

from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from geo_civic.pages import social, social_admin

urlpatterns = [
    path("suivre/", social.toggle_follow, name="follow-toggle"),
    path("fil/", social.feed_page, name="feed"),
    path("actualites/<int:pk>/", social.news_page, name="news"),
    path("personnes/<str:username>/", social.profile_page, name="profile"),
    # Moderators' queue of news; an actor's members for its administrators (social2).
    path("actualites/moderation/", social_admin.news_queue, name="news-moderation"),
    path("actualites/<int:pk>/decision/", social_admin.news_decide, name="news-decide"),
    path(
        "actualites/commentaires/<int:pk>/masquer/",
        social_admin.comment_hide,
        name="news-comment-hide",
    ),
    path(
        "actualites/signalements/<int:pk>/clore/",
        social_admin.report_resolve,
        name="news-report-resolve",
    ),
    path("acteurs/<int:pk>/membres/", social_admin.members_page, name="actor-members"),
    path(
        "acteurs/<int:pk>/membres/<int:membership_id>/",
        social_admin.member_decide,
        name="actor-member-decide",
    ),
    path("acteurs/<int:pk>/membres/inviter/", social_admin.member_invite, name="actor-invite"),
    path(
        "acteurs/<int:pk>/invitation/<str:token>/",
        social_admin.invitation_page,
        name="actor-invitation",
    ),
    # Only pictures Pillow re-encoded are stored there; a front server may serve them instead.
    re_path(
        r"^{}(?P<path>news/.+\.jpg)$".format(settings.MEDIA_URL.lstrip("/")),
        lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT),
        name="media",
    ),
]
