from django.urls import include, path

from geo_civic.accounts import views

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    # login, logout, password_change, password_reset… with templates in templates/registration/.
    path("", include("django.contrib.auth.urls")),
]
