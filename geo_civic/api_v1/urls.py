"""``/api/v1/``: paths without a trailing slash; documented at ``/api/v1/schema/`` (OpenAPI 3.1)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from geo_civic.api_v1.auth import TokenView
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
    path("schema/", SpectacularAPIView.as_view(), name="api-v1-schema"),
    *router.urls,
    *social_urls,
]
