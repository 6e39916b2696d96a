"""New things our followers hear of: an event published in a commune (sent to the commune's
and the event's followers), a proposal entering the vote (the space's, its commune's and its
actor's followers) and a published news item (its actor's and its commune's followers). A
change of what followers saw is sent as ``Update``; an event or news item unpublished, rejected
or deleted as ``Delete`` of a ``Tombstone`` to the inboxes that had it. Each is sent once per
inbox, grouped by shared inbox, after commit, by jobs; a failure to queue them is logged,
never the saver's error (``robust``)."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from geo_civic.actors.models import Actor
from geo_civic.federation import local as locals_
from geo_civic.federation import outbox
from geo_civic.federation.local import PUBLIC, LocalActor
from geo_civic.federation.models import Delivery, Follower
from geo_civic.federation.tasks import enqueue
from geo_civic.participation.models import Proposal, Status, Transition
from geo_civic.social.models import News


def _fingerprint(obj: dict) -> str:
    """What a follower sees of an object (but ``updated``, which moves on every save)."""
    shown = {key: value for key, value in obj.items() if key != "updated"}
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]


def _last_sent(local: LocalActor, object_id: str) -> Delivery | None:
    """The newest activity about ``object_id`` that ``local`` queued (Create, Update or Delete)."""
    return (
        Delivery.objects.filter(
            local_kind=local.kind, local_key=local.key, activity_id__startswith=object_id + "/"
        )
        .order_by("-pk")
        .first()
    )


def _activity(local: LocalActor, base: str, obj: dict, published) -> dict | None:
    """``Create`` the first time, ``Update`` when what followers saw changed, None when not."""
    last = _last_sent(local, obj["id"])
    if last is None or last.activity.get("type") == "Delete":
        activity = outbox.create(local, base, obj, published)
        if last is not None:  # published again after a withdrawal: a new Create
            activity["id"] += f"/{_fingerprint(obj)}"
        return activity
    if _fingerprint(last.activity.get("object", {})) == _fingerprint(obj):
        return None
    activity = outbox.create(local, base, obj, published)
    activity |= {
        "id": f"{obj['id']}/update/{_fingerprint(obj)}",
        "type": "Update",
        "published": timezone.now().isoformat(),
    }
    return activity


def _followers_by_origin(local: LocalActor) -> dict[str, set[str]]:
    by_origin: dict[str, set[str]] = defaultdict(set)
    followers = Follower.objects.filter(
        local_kind=local.kind, local_key=local.key, accepted=True
    ).select_related("remote")
    for follower in followers:
        base = locals_.origin(fallback=follower.local_origin)
        by_origin[base].add(follower.remote.delivery_inbox)
    return by_origin


def _send(local: LocalActor, make_object: Callable[[str, str], dict], published) -> int:
    """Send ``Create`` (or ``Update`` once changed) of the object to every follower of
    ``local``; deliveries recorded, none twice."""
    sent = 0
    for base, inboxes in _followers_by_origin(local).items():
        activity = _activity(local, base, make_object(base, local.id(base)), published)
        if activity is None:
            continue
        activity["@context"] = outbox.OUTBOX_CONTEXT
        sent += len(enqueue(local, base, activity, inboxes))
    return sent


def withdraw(kind: str, pk: int) -> int:
    """``Delete`` (a ``Tombstone``) of an object withdrawn, unpublished or deleted, sent by every
    local actor that announced it to the inboxes it was sent to; how many deliveries. A signer
    no longer public (an unpublished event itself) is skipped: its key is not served any more,
    so no remote server could verify its Delete."""
    sent = 0
    marker = f"/ap/objects/{kind}/{pk}/"
    announced = Delivery.objects.filter(activity_id__contains=marker)
    signers = announced.values_list("local_kind", "local_key").distinct()
    for local_kind, local_key in signers:
        local = locals_.find(local_kind, local_key)
        if local is None:
            continue
        by_origin: dict[str, set[str]] = defaultdict(set)
        for activity_id, inbox in announced.filter(
            local_kind=local_kind, local_key=local_key
        ).values_list("activity_id", "inbox"):
            by_origin[activity_id.split(marker)[0] + marker[:-1]].add(inbox)
        for object_id, inboxes in by_origin.items():
            last = _last_sent(local, object_id)
            if last is None or last.activity.get("type") == "Delete":
                continue
            base = object_id.split("/ap/objects/")[0]
            former = last.activity.get("object", {}).get("type", "Object")
            activity = {
                "@context": outbox.OUTBOX_CONTEXT,
                "id": f"{object_id}/delete/{uuid.uuid4().hex}",
                "type": "Delete",
                "actor": local.id(base),
                "published": timezone.now().isoformat(),
                "to": [PUBLIC],
                "cc": [local.id(base) + "/followers"],
                "object": {
                    "id": object_id, "type": "Tombstone", "formerType": former,
                    "deleted": timezone.now().isoformat(),
                },
            }  # fmt: skip
            sent += len(enqueue(local, base, activity, inboxes))
    return sent


def announce_event(pk: int) -> int:
    """Deliver a published event to its followers and its commune's; how many deliveries."""
    event = (
        Actor.objects.filter(pk=pk, kind=Actor.Kind.EVENT, status=Actor.Status.PUBLISHED)
        .select_related("commune")
        .first()
    )
    if event is None:
        return 0
    targets = [locals_.of_actor(event)]
    if event.commune_id and event.commune.valid_to is None:
        targets.append(locals_.of_commune(event.commune))
    return sum(
        _send(target, lambda base, by: outbox.event_object(event, base, by), event.created_at)
        for target in targets
    )


def announce_question(pk: int) -> int:
    """Deliver a proposal entering the vote to the followers of its space, commune, actor."""
    proposal = (
        Proposal.objects.filter(pk=pk).select_related("space__commune", "space__actor").first()
    )
    if proposal is None or proposal.status != Status.VOTING or proposal.voting_at is None:
        return 0
    space = proposal.space
    targets = [locals_.of_space(space)]
    if space.commune_id:
        targets.append(locals_.of_commune(space.commune))
    if space.actor_id and space.actor.status == Actor.Status.PUBLISHED:
        targets.append(locals_.of_actor(space.actor))
    return sum(
        _send(
            target, lambda base, by: outbox.question_object(proposal, base, by), proposal.voting_at
        )
        for target in targets
    )


def announce_news(pk: int) -> int:
    """Deliver a published news item to the followers of its actor (if any) and its commune."""
    news = (
        News.objects.filter(pk=pk, status=News.Status.PUBLISHED)
        .select_related("commune", "actor")
        .first()
    )
    if news is None:
        return 0
    targets = []
    if news.actor_id and news.actor.status == Actor.Status.PUBLISHED:
        targets.append(locals_.of_actor(news.actor))
    if news.commune.valid_to is None:
        targets.append(locals_.of_commune(news.commune))
    return sum(
        _send(target, lambda base, by: outbox.news_object(news, base, by), news.created_at)
        for target in targets
    )


def _was_published(model, instance, published: str) -> bool:
    """Whether the row was published before this save (one primary-key read), so that saving a
    draft never searches the deliveries."""
    if instance.pk is None:
        return False
    return model.objects.filter(pk=instance.pk, status=published).exists()


@receiver(pre_save, sender=Actor, dispatch_uid="federation-event-was-published")
def _event_before_save(sender, instance: Actor, **kwargs) -> None:
    if instance.kind == Actor.Kind.EVENT and instance.status != Actor.Status.PUBLISHED:
        instance._federation_unpublished = _was_published(Actor, instance, Actor.Status.PUBLISHED)


@receiver(post_save, sender=Actor, dispatch_uid="federation-event-published")
def _event_saved(sender, instance: Actor, **kwargs) -> None:
    if instance.kind != Actor.Kind.EVENT:
        return
    if instance.status == Actor.Status.PUBLISHED:
        transaction.on_commit(lambda: announce_event(instance.pk), robust=True)
    elif getattr(instance, "_federation_unpublished", False):
        transaction.on_commit(lambda: withdraw("event", instance.pk), robust=True)


@receiver(post_delete, sender=Actor, dispatch_uid="federation-event-deleted")
def _event_deleted(sender, instance: Actor, **kwargs) -> None:
    if instance.kind == Actor.Kind.EVENT:
        pk = instance.pk
        transaction.on_commit(lambda: withdraw("event", pk), robust=True)


@receiver(pre_save, sender=News, dispatch_uid="federation-news-was-published")
def _news_before_save(sender, instance: News, **kwargs) -> None:
    if instance.status != News.Status.PUBLISHED:
        instance._federation_unpublished = _was_published(News, instance, News.Status.PUBLISHED)


@receiver(post_save, sender=News, dispatch_uid="federation-news-saved")
def _news_saved(sender, instance: News, **kwargs) -> None:
    if instance.status == News.Status.PUBLISHED:
        transaction.on_commit(lambda: announce_news(instance.pk), robust=True)
    elif getattr(instance, "_federation_unpublished", False):
        transaction.on_commit(lambda: withdraw("news", instance.pk), robust=True)


@receiver(post_delete, sender=News, dispatch_uid="federation-news-deleted")
def _news_deleted(sender, instance: News, **kwargs) -> None:
    pk = instance.pk
    transaction.on_commit(lambda: withdraw("news", pk), robust=True)


@receiver(post_save, sender=Transition, dispatch_uid="federation-vote-opened")
def _transition_saved(sender, instance: Transition, created: bool, **kwargs) -> None:
    if created and instance.to_status == Status.VOTING:
        transaction.on_commit(lambda: announce_question(instance.proposal_id), robust=True)
