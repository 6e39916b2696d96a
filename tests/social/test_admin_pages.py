"""The moderators' news queue and an actor's members page, through HTTP for every role: who
sees them, who decides, CSRF, the reason the author reads, the invitation e-mailed and used."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from geo_civic.actors.models import Membership
from geo_civic.notifications.models import Notification
from geo_civic.social.memberships import request_to_join
from geo_civic.social.models import News
from geo_civic.social.news import post_news
from tests.participation.conftest import as_, person

pytestmark = pytest.mark.django_db
QUEUE = "/actualites/moderation/"


def test_the_news_queue_and_decisions_by_role(client, roles):
    waiting = post_news(roles["resident"], commune_code="97415", title="Vide-grenier", body="Dim")
    other = post_news(roles["resident"], commune_code="97415", title="Troc", body="Sam")
    assert waiting.status == other.status == "pending"
    assert as_(client, None).get(QUEUE).status_code == 302  # to the sign-in page
    for role in ("resident", "elsewhere"):
        assert as_(client, roles[role]).get(QUEUE).status_code == 403
    assert b"Vide-grenier" not in as_(client, roles["other_moderator"]).get(QUEUE).content
    page = as_(client, roles["moderator"]).get(QUEUE)
    assert page.status_code == 200 and b"Vide-grenier" in page.content
    assert b'name="csrfmiddlewaretoken"' in page.content

    decide = f"/actualites/{waiting.pk}/decision/"
    reject = {"decision": "reject", "reason": "Hors sujet pour la commune"}
    assert as_(client, roles["other_moderator"]).post(decide, reject).status_code == 403
    assert as_(client, roles["resident"]).post(decide, reject).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(roles["moderator"])
    assert strict.post(decide, reject).status_code == 403  # no CSRF token: refused
    waiting.refresh_from_db()
    assert (waiting.status, waiting.moderation_note) == ("pending", "")

    assert as_(client, roles["moderator"]).post(decide, {"decision": "maybe"}).status_code == 302
    assert client.post(decide, reject).status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.moderation_note) == ("rejected", "Hors sujet pour la commune")
    approve = client.post(f"/actualites/{other.pk}/decision/", {"decision": "approve"})
    assert approve.status_code == 302
    assert News.objects.get(pk=other.pk).status == "published"
    assert f'id="news-{other.pk}"'.encode() not in client.get(QUEUE).content
    # The author reads the reason and is told; nobody else sees the rejected item.
    assert Notification.objects.filter(user=roles["resident"], title="Vide-grenier").exists()
    own = as_(client, roles["resident"]).get(f"/actualites/{waiting.pk}/")
    assert b"Hors sujet pour la commune" in own.content
    assert as_(client, roles["elsewhere"]).get(f"/actualites/{waiting.pk}/").status_code == 404


def test_the_members_page_by_role(client, roles, association):
    url = f"/acteurs/{association.pk}/membres/"
    request_to_join(roles["elsewhere"], association)
    joining = Membership.objects.get(user=roles["elsewhere"])
    assert as_(client, None).get(url).status_code == 302
    for role in ("elsewhere", "resident", "moderator"):  # not its administrators
        assert as_(client, roles[role]).get(url).status_code == 403
        decide = f"{url}{joining.pk}/"
        assert client.post(decide, {"decision": "accept"}).status_code == 403
    joining.refresh_from_db()
    assert joining.state == "requested"

    page = as_(client, roles["member"]).get(url)  # a co-editor administers it
    assert page.status_code == 200 and b"denis" in page.content and b"presidente" in page.content
    assert client.post(f"{url}{joining.pk}/", {"decision": "accept"}).status_code == 302
    joining.refresh_from_db()
    assert joining.state == "active"
    assert Notification.objects.filter(user=roles["elsewhere"], kind="membership").exists()
    assert url.encode() in client.get(association.get_absolute_url(), follow=True).content
    assert (
        url.encode()
        not in as_(client, roles["moderator"])
        .get(association.get_absolute_url(), follow=True)
        .content
    )  # the link: for administrators
    as_(client, roles["member"])

    # A refused request and a removed member are gone.
    request_to_join(roles["resident"], association)
    refused = Membership.objects.get(user=roles["resident"])
    assert client.post(f"{url}{refused.pk}/", {"decision": "remove"}).status_code == 302
    assert client.post(f"{url}{joining.pk}/", {"decision": "remove"}).status_code == 302
    assert not Membership.objects.filter(actor=association).exists()


def test_an_invitation_by_e_mail(client, roles, association):
    invited = person("invitee")
    url = f"/acteurs/{association.pk}/membres/inviter/"
    assert as_(client, roles["elsewhere"]).post(url, {"email": invited.email}).status_code == 403
    as_(client, roles["member"])
    nobody = client.post(url, {"email": "nobody@example.org"}, follow=True)
    assert mail.outbox == []  # no account: nothing sent, and the same message shown
    sent = client.post(url, {"email": invited.email, "role": "contributor"}, follow=True)
    said = [[str(m) for m in answer.context["messages"]] for answer in (nobody, sent)]
    assert said[0] == said[1] and len(said[0]) == 1
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/acteurs/\d+/invitation/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[1]
    assert as_(client, roles["elsewhere"]).post(path).status_code == 200  # another account
    assert not Membership.objects.filter(actor=association).exists()
    as_(client, invited)
    assert client.get(path).status_code == 200
    assert not Membership.objects.filter(actor=association).exists()  # a GET changes nothing
    assert client.post(path).status_code == 302
    membership = Membership.objects.get(actor=association)
    assert (membership.user, membership.role, membership.state) == (
        invited,
        "contributor",
        "active",
    )


def test_the_pages_speak_french(client, roles, association):
    as_(client, roles["moderator"])
    queue = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Actualités à relire".encode() in queue.content
    as_(client, roles["member"])
    members = client.get(f"/acteurs/{association.pk}/membres/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Demandes d’adhésion".encode() in members.content
    assert b"Inviter par e-mail" in members.content


def test_reported_news_comments_are_reviewed(client, roles):
    from geo_civic.social.news import comment, report

    item = post_news(roles["moderator"], commune_code="97415", title="Fête", body="Samedi")
    rude = comment(roles["resident"], item, "Un commentaire injurieux")
    kind = comment(roles["elsewhere"], item, "Merci !")
    flagged = report(roles["verified"], item, "Un commentaire injurieux sous la fête")
    as_(client, roles["other_moderator"])
    assert b"injurieux sous" not in client.get(QUEUE).content  # not their commune
    assert client.post(f"/actualites/commentaires/{rude.pk}/masquer/").status_code == 403
    assert client.post(f"/actualites/signalements/{flagged.pk}/clore/").status_code == 403
    as_(client, roles["resident"])
    assert client.post(f"/actualites/commentaires/{rude.pk}/masquer/").status_code == 403
    page = as_(client, roles["moderator"]).get(QUEUE)
    assert b"injurieux sous" in page.content and b"Un commentaire injurieux" in page.content
    assert client.post(f"/actualites/commentaires/{rude.pk}/masquer/").status_code == 302
    rude.refresh_from_db()
    kind.refresh_from_db()
    assert rude.hidden and not kind.hidden
    shown = as_(client, None).get(f"/actualites/{item.pk}/").content
    assert b"Un commentaire injurieux" not in shown and b"Merci" in shown
    as_(client, roles["moderator"])
    assert client.post(f"/actualites/signalements/{flagged.pk}/clore/").status_code == 302
    flagged.refresh_from_db()
    assert flagged.resolved
    assert f'id="report-{flagged.pk}"'.encode() not in client.get(QUEUE).content
