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
    assert fifth["Retry-After"] == "900"  # the 15 minutes of cool-off
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


@pytest.fixture
def fast_hashing(settings):
    """Spraying takes tens of logins: a fast hasher keeps the test quick (axes is unaffected)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_password_spraying_from_one_address_locks_the_address_out(client, fast_hashing):
    User.objects.create_superuser("steward", "steward@example.org", "correct horse battery")
    # Four tries on each of five names: never five for one name, twenty for the address.
    names = ["alice", "bruno", "chloe", "david", "emma"]
    answers = [
        client.post(LOGIN, {"username": name, "password": f"guess{n}"}).status_code
        for name in names
        for n in range(4)
    ]
    assert answers == [200] * 19 + [429]
    locked = client.post(LOGIN, {"username": "steward", "password": "correct horse battery"})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session
    # Another address is not concerned.
    elsewhere = client.post(
        LOGIN, {"username": "steward", "password": "correct horse battery"}, REMOTE_ADDR="192.0.2.7"
    )
    assert elsewhere.status_code == 302


def test_the_address_limit_is_a_setting(client, fast_hashing, settings):
    settings.GEO_CIVIC_LOGIN_FAILURES_PER_IP = 3
    for name in ("alice", "bruno"):
        assert client.post(LOGIN, {"username": name, "password": "x"}).status_code == 200
    assert client.post(LOGIN, {"username": "chloe", "password": "x"}).status_code == 429


def test_no_lockout_with_throttle_off(client, fast_hashing, settings):
    # What GEO_CIVIC_THROTTLE=off sets (see test_abuse_limits for the variable itself).
    settings.GEO_CIVIC_THROTTLE = False
    settings.AXES_ENABLED = False
    User.objects.create_superuser("steward", "steward@example.org", "correct horse battery")
    for n in range(25):
        answer = client.post(LOGIN, {"username": ("steward", "alice")[n % 2], "password": "x"})
        assert answer.status_code == 200
    response = client.post(LOGIN, {"username": "steward", "password": "correct horse battery"})
    assert response.status_code == 302


def test_behind_a_reverse_proxy_the_lockout_is_per_client(client, fast_hashing, settings):
    from axes.models import AccessAttempt

    settings.GEO_CIVIC_PROXY_COUNT = 1
    User.objects.create_superuser("steward", "steward@example.org", "correct horse battery")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "steward", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1",
            **proxy,
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}
    good = {"username": "steward", "password": "correct horse battery"}
    locked = client.post(LOGIN, good, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert locked.status_code == 429
    other = client.post(LOGIN, good, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 302
