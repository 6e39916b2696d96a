"""News in the federation: the outboxes of a commune and of an actor carry ``Create`` of a
``Note`` (short) or an ``Article`` with the images attached in their re-encoded widths, never
the resident who wrote it nor anything private; followers are sent a ``Create`` once, an
``Update`` when what they saw changed, and a ``Delete`` (``Tombstone``) when the news item or an
event is rejected, unpublished or deleted."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image

from geo_civic.federation.models import Delivery, Follower, RemoteActor
from tests.federation.test_documents import BASE, assert_valid_json_ld, get_json

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(width: int = 900, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def follower_of(kind: str, key: str, name: str = "bob") -> RemoteActor:
    remote = RemoteActor.objects.create(
        uri=f"https://remote.example/{name}", inbox=f"https://remote.example/{name}/inbox",
        shared_inbox="https://remote.example/inbox", key_id=f"https://remote.example/{name}#k",
        public_key_pem="-", fetched_at=timezone.now(),
    )  # fmt: skip
    Follower.objects.create(
        local_kind=kind, local_key=key, remote=remote, accepted=True, local_origin=BASE
    )
    return remote


def sent(kind: str | None = None) -> list[dict]:
    activities = [d.activity for d in Delivery.objects.order_by("pk")]
    return [a for a in activities if kind is None or a["type"] == kind]


def test_outboxes_carry_news_as_notes_and_articles_with_images(client, roles, association):
    from geo_civic.social.images import store_image
    from geo_civic.social.news import post_news

    where = {"lon": 55.27, "lat": -21.01}
    short = post_news(roles["moderator"], commune_code="97415", title="Marché <forain>",
                      body="Dimanche **matin**", location=where)  # fmt: skip
    store_image(short, jpeg(), alt="Les étals")
    post_news(roles["member"], actor_id=association.pk, title="Rapport annuel",
                     body="Les jardins. " * 60)  # fmt: skip
    pending = post_news(roles["resident"], commune_code="97415", title="En attente", body="b")
    assert pending.status == "pending"

    page = get_json(client, "/ap/communes/97415/outbox?page=1")
    assert_valid_json_ld(page)
    objects = {item["object"]["name"]: item["object"] for item in page["orderedItems"]}
    assert set(objects) == {"Marché <forain>", "Rapport annuel"}  # the pending one: not yet
    note, article = objects["Marché <forain>"], objects["Rapport annuel"]
    assert note["type"] == "Note" and article["type"] == "Article"
    assert note["content"].startswith("<p><strong>Marché &lt;forain&gt;</strong></p>")
    assert "<strong>matin</strong>" in note["content"]
    assert note["attributedTo"] == f"{BASE}/ap/communes/97415"
    assert note["url"] == f"{BASE}/actualites/{short.pk}/"
    assert note["location"]["type"] == "Place" and round(note["location"]["latitude"], 2) == -21.01
    widths = [(a["width"], a["height"]) for a in note["attachment"]]
    assert widths == [(320, 213), (640, 427), (900, 600)]
    assert all(a["type"] == "Image" and a["name"] == "Les étals" for a in note["attachment"])
    assert all(a["url"].endswith(".jpg") for a in note["attachment"])
    assert "attachment" not in article
    # The actor's outbox has its own news; the object ids resolve, a pending one does not.
    actor_box = get_json(client, f"/ap/actors/{association.pk}/outbox?page=1")
    assert [i["object"]["name"] for i in actor_box["orderedItems"]] == ["Rapport annuel"]
    assert actor_box["orderedItems"][0]["object"]["attributedTo"] == (
        f"{BASE}/ap/actors/{association.pk}"
    )
    assert get_json(client, note["id"].removeprefix(BASE))["type"] == "Note"
    get_json(client, f"/ap/objects/news/{pending.pk}", status=404)
    # Nobody's name, e-mail or residence: the news speaks for its commune or actor.
    text = str(page) + str(actor_box)
    for private in ("modo-paul", "mina", "presidente", "example.org", "55.27000"):
        assert private not in text


def test_followers_get_create_update_then_delete(
    roles, association, django_capture_on_commit_callbacks
):
    from geo_civic.social.news import decide, post_news

    follower_of("commune", "97415")
    follower_of("actor", str(association.pk), name="carol")
    with django_capture_on_commit_callbacks(execute=True):
        item = post_news(roles["member"], actor_id=association.pk, title="Troc", body="Samedi")
    creates = sent("Create")
    assert {a["actor"] for a in creates} == {
        f"{BASE}/ap/communes/97415",
        f"{BASE}/ap/actors/{association.pk}",
    }
    assert {d.inbox for d in Delivery.objects.all()} == {"https://remote.example/inbox"}
    assert Delivery.objects.count() == 2  # one per signer, to the shared inbox

    with django_capture_on_commit_callbacks(execute=True):
        item.save()  # saved again, unchanged: nothing new
    assert Delivery.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Troc de graines"
        item.save()
    updates = sent("Update")
    assert len(updates) == 2 and {u["object"]["name"] for u in updates} == {"Troc de graines"}
    assert all(u["object"]["id"] == f"{BASE}/ap/objects/news/{item.pk}" for u in updates)
    with django_capture_on_commit_callbacks(execute=True):
        item.save()
    assert len(sent("Update")) == 2

    pk = item.pk
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    deletes = sent("Delete")
    assert len(deletes) == 2
    for delete in deletes:
        assert delete["object"]["type"] == "Tombstone"
        assert delete["object"]["formerType"] == "Note"
        assert delete["object"]["id"].endswith(f"/ap/objects/news/{pk}")
    with django_capture_on_commit_callbacks(execute=True):
        from geo_civic.federation.announcements import withdraw

        assert withdraw("news", pk) == 0  # withdrawn once

    # A resident's news: announced when a moderator publishes it, withdrawn when rejected.
    with django_capture_on_commit_callbacks(execute=True):
        proposed = post_news(roles["resident"], commune_code="97415", title="Vide", body="b")
    assert not Delivery.objects.filter(activity_id__contains=f"/news/{proposed.pk}/").exists()
    with django_capture_on_commit_callbacks(execute=True):
        decide(roles["moderator"], proposed, publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        decide(roles["moderator"], proposed, publish=False)
    mine = [
        d.activity["type"]
        for d in Delivery.objects.filter(activity_id__contains=f"/news/{proposed.pk}/").order_by(
            "pk"
        )
    ]
    assert mine == ["Create", "Delete"]
    assert "paula" not in str(sent())


def test_an_event_changed_then_unpublished(event, django_capture_on_commit_callbacks):
    follower_of("commune", "97415")
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    with django_capture_on_commit_callbacks(execute=True):
        event.save()  # its ``updated`` stamp moved, nothing else: no Update
    assert [a["type"] for a in sent()] == ["Create"]
    with django_capture_on_commit_callbacks(execute=True):
        event.name = "Fête de la musique, place du marché"
        event.save()
    with django_capture_on_commit_callbacks(execute=True):
        event.status = "draft"
        event.save()
    assert [a["type"] for a in sent()] == ["Create", "Update", "Delete"]
    update, delete = sent()[1:]
    assert update["object"]["name"] == "Fête de la musique, place du marché"
    assert delete["object"] == {**delete["object"], "type": "Tombstone", "formerType": "Event"}
    assert "organisatrice" not in str(sent())
