"""Pages of follow and news, and the uploaded (re-encoded) news images under MEDIA_URL."""

from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from geo_civic.pages import social

urlpatterns = [
    path("suivre/", social.toggle_follow, name="follow-toggle"),
    path("fil/", social.feed_page, name="feed"),
    path("actualites/<int:pk>/", social.news_page, name="news"),
    path("personnes/<str:username>/", social.profile_page, name="profile"),
    # Only pictures Pillow re-encoded are stored there; a front server may serve them instead.
    re_path(
        r"^{}(?P<path>news/.+\.jpg)$".format(settings.MEDIA_URL.lstrip("/")),
        lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT),
        name="media",
    ),
]
