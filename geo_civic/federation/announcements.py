"""New things our followers hear of: an event published in a commune (sent to the commune's
and the event's followers) and a proposal entering the vote (the space's, its commune's and its
actor's followers). Each is sent once per inbox, grouped by shared inbox, after commit, by jobs;
a failure to queue them is logged, never the saver's error (``robust``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from geo_civic.actors.models import Actor
from geo_civic.federation import local as locals_
from geo_civic.federation import outbox
from geo_civic.federation.local import LocalActor
from geo_civic.federation.models import Follower
from geo_civic.federation.tasks import enqueue
from geo_civic.participation.models import Proposal, Status, Transition


def _send(local: LocalActor, make_object: Callable[[str, str], dict], published) -> int:
    """Send ``Create`` of the object to every follower of ``local``; deliveries recorded."""
    by_origin: dict[str, set[str]] = defaultdict(set)
    followers = Follower.objects.filter(
        local_kind=local.kind, local_key=local.key, accepted=True
    ).select_related("remote")
    for follower in followers:
        base = locals_.origin(fallback=follower.local_origin)
        by_origin[base].add(follower.remote.delivery_inbox)
    sent = 0
    for base, inboxes in by_origin.items():
        activity = outbox.create(local, base, make_object(base, local.id(base)), published)
        activity["@context"] = outbox.OUTBOX_CONTEXT
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


@receiver(post_save, sender=Actor, dispatch_uid="federation-event-published")
def _event_saved(sender, instance: Actor, **kwargs) -> None:
    if instance.kind == Actor.Kind.EVENT and instance.status == Actor.Status.PUBLISHED:
        transaction.on_commit(lambda: announce_event(instance.pk), robust=True)


@receiver(post_save, sender=Transition, dispatch_uid="federation-vote-opened")
def _transition_saved(sender, instance: Transition, created: bool, **kwargs) -> None:
    if created and instance.to_status == Status.VOTING:
        transaction.on_commit(lambda: announce_question(instance.proposal_id), robust=True)
