"""Activities recorded from the lower apps' own writes, without those apps knowing of us.

- an actor's revision whose snapshot is published (created published, approved by a moderator)
  → a new event or initiative, once per actor;
- a proposal's transition into debate, vote, or closed → its activity, once per state.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from geo_civic.actors.models import Actor
from geo_civic.contributions.models import ActorRevision
from geo_civic.participation.models import Status, Transition
from geo_civic.participation.territory import communes_of
from geo_civic.social.activities import Event, record
from geo_civic.social.models import Activity, Subject

PROPOSAL_VERBS = {
    Status.DEBATE: Activity.Verb.PROPOSAL_DEBATE,
    Status.VOTING: Activity.Verb.PROPOSAL_VOTING,
    Status.CLOSED: Activity.Verb.RESULT,
}


@receiver(post_save, sender=ActorRevision, dispatch_uid="social-actor-published")
def actor_published(sender, instance: ActorRevision, created: bool, **kwargs) -> None:
    if not created or instance.snapshot.get("status") != Actor.Status.PUBLISHED:
        return
    actor = instance.actor
    verb = Activity.Verb.EVENT if actor.kind == Actor.Kind.EVENT else Activity.Verb.INITIATIVE
    record(Event(
        verb=verb, key=f"actor:{actor.pk}:published", title=actor.name,
        url=actor.get_absolute_url(), commune_id=actor.commune_id, actor_id=actor.pk,
        # The public point only: a home's exact position never reaches the feed.
        location=Actor.objects.values_list("public_point", flat=True).get(pk=actor.pk),
    ))  # fmt: skip


@receiver(post_save, sender=Transition, dispatch_uid="social-proposal-transition")
def proposal_moved(sender, instance: Transition, created: bool, **kwargs) -> None:
    verb = PROPOSAL_VERBS.get(instance.to_status)
    if not created or verb is None:
        return
    proposal = instance.proposal
    space = proposal.space
    communes = list(communes_of(space).values_list("pk", flat=True))
    record(Event(
        verb=verb, key=f"proposal:{proposal.pk}:{instance.to_status}", title=proposal.title,
        url=_proposal_url(proposal.pk),
        commune_id=communes[0] if len(communes) == 1 else None,
        actor_id=space.actor_id, space_id=space.pk, proposal_id=proposal.pk,
        also=[(Subject.COMMUNE, pk) for pk in communes],
    ))  # fmt: skip


def _proposal_url(pk: int) -> str:
    """The proposal's page."""
    return reverse("proposal", args=[pk])
