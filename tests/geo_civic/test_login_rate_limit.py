import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def test_repeated_failed_logins_lock_the_account_out(client):
    User.objects.create_superuser("steward", "steward@example.org", "correct horse battery")
    for _ in range(4):
        response = client.post(LOGIN, {"username": "steward", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    fifth = client.post(LOGIN, {"username": "steward", "password": "wrong"})
    assert fifth.status_code == 429  # the fifth failure locks the account out
    locked = client.post(LOGIN, {"username": "steward", "password": "correct horse battery"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_password_before_the_limit_logs_in(client):
    User.objects.create_superuser("steward", "steward@example.org", "correct horse battery")
    for _ in range(4):
        client.post(LOGIN, {"username": "steward", "password": "wrong"})
    response = client.post(LOGIN, {"username": "steward", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
