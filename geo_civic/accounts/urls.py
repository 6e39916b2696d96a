from django.urls import include, path

from geo_civic.accounts import token_views, views

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_sent, name="signup-sent"),
    path("inscription/confirmer/<str:token>/", views.signup_confirm, name="signup-confirm"),
    path("applications/", token_views.app_tokens, name="app-tokens"),
    path("password_reset/", views.RateLimitedPasswordResetView.as_view(), name="password_reset"),
    # login, logout, password_change, password_reset… with templates in templates/registration/.
    path("", include("django.contrib.auth.urls")),
]
