"""Follow, news, feed, profiles and memberships under ``/api/v1/`` (no trailing slash)."""

from django.urls import path

from geo_civic.api_v1 import social

urlpatterns = [
    path("follows", social.FollowsView.as_view(), name="api-v1-follows"),
    path("follows/<int:follow_id>", social.FollowView.as_view(), name="api-v1-follow"),
    path("followers", social.FollowersView.as_view(), name="api-v1-followers"),
    path("feed", social.FeedView.as_view(), name="api-v1-feed"),
    path("news", social.NewsListView.as_view(), name="api-v1-news"),
    path("news/<int:news_id>", social.NewsView.as_view(), name="api-v1-news-item"),
    path("news/<int:news_id>/images", social.NewsImagesView.as_view(), name="api-v1-news-images"),
    path("news/<int:news_id>/comments", social.NewsCommentsView.as_view()),
    path("news/<int:news_id>/reports", social.NewsReportsView.as_view()),
    path("news/<int:news_id>/decision", social.NewsDecisionView.as_view()),
    path("profiles/<str:username>", social.ProfileView.as_view(), name="api-v1-profile"),
    path("me/profile", social.MyProfileView.as_view(), name="api-v1-my-profile"),
    path("me/export", social.ExportView.as_view(), name="api-v1-export"),
    path("me", social.MeView.as_view(), name="api-v1-me"),
    path("actors/<int:actor_id>/memberships", social.MembershipsView.as_view()),
    path("actors/<int:actor_id>/memberships/<int:membership_id>", social.MembershipView.as_view()),
    path(
        "actors/<int:actor_id>/invitations/<str:token>",
        social.MembershipInvitationView.as_view(),
        name="api-v1-membership-invitation",
    ),
]
