"""``/api/v1/``: paths without a trailing slash; documented at ``/api/v1/schema/`` (OpenAPI 3.1)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from geo_civic.api_v1.auth import TokenView
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

urlpatterns = [
    path("auth/token", TokenView.as_view(), name="api-v1-token"),
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
]
