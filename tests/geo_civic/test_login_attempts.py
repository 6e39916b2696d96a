"""Login forms answer an over-long user name with the form and its error, never a 500: Django
authenticates before it checks the name's length, and django-axes records the failure."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("login", ["/comptes/login/", "/admin/login/?next=/admin/"])
def test_a_failed_login_with_a_very_long_user_name_is_a_failed_login(client, login):
    name = "é" * 300
    response = client.post(login, {"username": name, "password": "wrong"})
    assert response.status_code == 200  # the form again, with its error
    attempt = AccessAttempt.objects.get()
    assert attempt.username == name[:255] and attempt.failures_since_start == 1

