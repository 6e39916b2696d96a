"""``/api/v1/``: paths without a trailing slash; documented at ``/api/v1/schema/`` (OpenAPI 3.1)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from geo_civic.api_v1 import participation_schema  # noqa: F401 (documents the views)
from geo_civic.api_v1.actors import ActorViewSet, ModerationViewSet
from geo_civic.api_v1.auth import TokenDetailView, TokenListView, TokenView
from geo_civic.api_v1.directory import CategoriesView, CommuneViewSet, NearbyView, PlacesView
from geo_civic.api_v1.not_found import NotFoundView
from geo_civic.api_v1.notifications import (
    NotificationListView,
    NotificationReadView,
    PreferenceView,
    PushKeyView,
    PushSubscriptionListView,
    PushSubscriptionView,
)
from geo_civic.api_v1.participation import (
    ProposalViewSet,
    ResidenceView,
    SpaceViewSet,
    VerificationView,
)
from geo_civic.api_v1.social_urls import urlpatterns as social_urls

router = SimpleRouter(trailing_slash=False)
router.register("spaces", SpaceViewSet, basename="space")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("actors", ActorViewSet, basename="actor")
router.register("moderation", ModerationViewSet, basename="moderation")
router.register("communes", CommuneViewSet, basename="commune")

urlpatterns = [
    path("auth/token", TokenView.as_view(), name="api-v1-token"),
    path("auth/tokens", TokenListView.as_view(), name="api-v1-tokens"),
    path("auth/tokens/<str:id>", TokenDetailView.as_view(), name="api-v1-token-detail"),
    path("categories", CategoriesView.as_view(), name="api-v1-categories"),
    path("places", PlacesView.as_view(), name="api-v1-places"),
    path("nearby", NearbyView.as_view(), name="api-v1-nearby"),
    path("me/residence", ResidenceView.as_view(), name="api-v1-residence"),
    path(
        "residents/<str:username>/verification",
        VerificationView.as_view(),
        name="api-v1-verification",
    ),
    # Notifications (geo_civic.notifications).
    path("notifications", NotificationListView.as_view(), name="api-v1-notifications"),
    path("notifications/read", NotificationReadView.as_view(), name="api-v1-notifications-read"),
    path("me/notifications", PreferenceView.as_view(), name="api-v1-notification-preferences"),
    path("push/key", PushKeyView.as_view(), name="api-v1-push-key"),
    path(
        "push/subscriptions", PushSubscriptionListView.as_view(), name="api-v1-push-subscriptions"
    ),
    path(
        "push/subscriptions/<int:pk>",
        PushSubscriptionView.as_view(),
        name="api-v1-push-subscription",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-v1-schema"),
    *router.urls,
    *social_urls,
    # Any other path under /api/v1/ is a problem too, not the site's HTML 404 page.
    re_path(r"^(?!schema$)", NotFoundView.as_view(), name="api-v1-not-found"),
]
