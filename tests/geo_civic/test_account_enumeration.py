"""No answer tells whether an e-mail address has an account: sign-up, password reset, sharing.

Each pair of requests, one about an existing account and one about none, must get the same status
and the same body (CSRF tokens aside), and, for what follows, leave the database the same.
User names are public (they sign entries and are how owners share editing), so a taken one is
said; e-mail addresses are private.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def same_answer(first, second) -> None:
    assert first.status_code == second.status_code
    assert first.get("Location") == second.get("Location")
    assert CSRF.sub(b"", first.content) == CSRF.sub(b"", second.content)


@pytest.fixture
def marie():
    return User.objects.create_user("marie", "marie@example.org", "kaz-la-974-ok")


def test_sign_up_answers_the_same_for_a_known_and_an_unknown_address(client, marie):
    known = client.post(
        "/comptes/inscription/", {"username": "m2", "email": "Marie@example.org"}, follow=True
    )
    unknown = client.post(
        "/comptes/inscription/", {"username": "m3", "email": "nobody@example.org"}, follow=True
    )
    sent = [("/comptes/inscription/envoyee/", 302)]
    assert known.redirect_chain == unknown.redirect_chain == sent
    same_answer(known, unknown)
    assert list(User.objects.values_list("username", flat=True)) == ["marie"]
    # Each address got one e-mail: the known one a reminder of its account, no sign-up link.
    reminder, confirmation = mail.outbox
    assert reminder.to == ["marie@example.org"] and confirmation.to == ["nobody@example.org"]
    assert "marie" in reminder.body and "/comptes/password_reset/" in reminder.body
    assert "/inscription/confirmer/" not in reminder.body
    assert "/inscription/confirmer/" in confirmation.body


def test_a_sign_up_reserves_nothing_a_later_one_could_notice(client, marie):
    """Were a user name reserved for a new address only, signing up again with it would tell."""
    client.post("/comptes/inscription/", {"username": "probe1", "email": "marie@example.org"})
    client.post("/comptes/inscription/", {"username": "probe2", "email": "new@example.org"})
    after_known = client.post(
        "/comptes/inscription/", {"username": "probe1", "email": "x@example.org"}
    )
    after_unknown = client.post(
        "/comptes/inscription/", {"username": "probe2", "email": "x@example.org"}
    )
    same_answer(after_known, after_unknown)
    assert after_known.status_code == 302


def test_a_taken_user_name_is_said_whatever_the_address(client, marie):
    for email in ("marie@example.org", "nobody@example.org"):
        response = client.post("/comptes/inscription/", {"username": "Marie", "email": email})
        assert response.status_code == 200
        assert "Ce nom d’utilisateur est pris" in response.content.decode()
    assert not mail.outbox


def test_a_confirmation_link_for_an_address_taken_meanwhile_creates_nothing(client, marie):
    client.post("/comptes/inscription/", {"username": "newbie", "email": "late@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    User.objects.create_user("other", "late@example.org", "autre-974-ok")
    response = client.post(link, {"new_password1": "kaz-974-ok", "new_password2": "kaz-974-ok"})
    assert response.status_code == 400
    assert not User.objects.filter(username="newbie").exists()
    forged = client.get(link[:-3] + "abc/")
    assert forged.status_code == 400


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client, marie):
    known = client.post("/comptes/password_reset/", {"email": "marie@example.org"}, follow=True)
    unknown = client.post("/comptes/password_reset/", {"email": "nobody@example.org"}, follow=True)
    same_answer(known, unknown)
    assert [m.to for m in mail.outbox] == [["marie@example.org"]]


@pytest.fixture
def owner(client, reunion_communes):
    lea = User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    client.force_login(lea)
    return lea


@pytest.fixture
def garden(owner):
    return Actor.objects.create(
        kind="place", name="Jardin", point="POINT(55.27 -21.0096)", owner=owner
    )


def share(client, actor: Actor, name: str):
    return client.post(f"/acteurs/{actor.pk}/co-editeurs/", {"username": name}, follow=True)


def test_sharing_by_e_mail_answers_the_same_for_a_known_and_an_unknown_address(
    client, garden, marie
):
    known = share(client, garden, "marie@example.org")
    unknown = share(client, garden, "nobody@example.org")
    assert known.status_code == 200
    # The answer names what was typed: type the same text to compare the rest.
    same_answer(
        known, type(unknown)(unknown.content.replace(b"nobody@example.org", b"marie@example.org"))
    )
    assert not garden.co_editors.exists()  # nothing changes until the invitation is accepted
    (invitation,) = mail.outbox
    assert invitation.to == ["marie@example.org"] and "Jardin" in invitation.subject
    link = re.search(r"http://testserver(\S+)", invitation.body).group(1)

    # Only the invited account accepts, logged in, by a POST.
    assert client.post(link).status_code == 403  # the owner is not the invited account
    client.force_login(marie)
    assert client.get(link).status_code == 200
    assert not garden.co_editors.exists()
    assert client.post(link).status_code == 302
    assert list(garden.co_editors.all()) == [marie]
    assert client.get(f"/acteurs/{garden.pk}/modifier/").status_code == 200
    assert client.post(link[:-3] + "abc/").status_code == 404  # a forged link


def test_an_invitation_lapses_when_its_sender_no_longer_owns_the_entry(client, garden, marie):
    share(client, garden, "marie@example.org")
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    garden.owner = User.objects.create_user("nouveau", "n@example.org", "autre-974-ok")
    garden.save()
    client.force_login(marie)
    assert client.post(link).status_code == 404
    assert not garden.co_editors.exists()


def test_sharing_by_user_name_answers_the_same_for_a_known_and_an_unknown_name(
    client, garden, marie
):
    known = client.post(f"/acteurs/{garden.pk}/co-editeurs/", {"username": "marie"})
    unknown = client.post(f"/acteurs/{garden.pk}/co-editeurs/", {"username": "mario"})
    same_answer(known, unknown)
    assert list(garden.co_editors.all()) == [marie]  # added at once: user names are public
    page = client.get(garden.get_absolute_url()).content.decode()
    assert "Si un compte s’appelle « marie »" in page and "Si un compte s’appelle « mario »" in page
