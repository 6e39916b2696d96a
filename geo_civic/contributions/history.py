"""Every change to an actor is kept as a snapshot; a moderator can go back to any of them."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from geo_civic.actors.models import Actor
from geo_civic.contributions.models import TRACKED_FIELDS, ActorRevision

DATETIME_FIELDS = {"starts_at", "ends_at"}


def snapshot(actor: Actor) -> dict:
    data = {name: getattr(actor, name) for name in TRACKED_FIELDS}
    for name in DATETIME_FIELDS:
        data[name] = data[name].isoformat() if data[name] else None
    data["point"] = actor.point.ewkt
    data["categories"] = sorted(actor.categories.values_list("pk", flat=True))
    return data


def record(actor: Actor, author, action: str, note: str = "") -> ActorRevision:
    return ActorRevision.objects.create(
        actor=actor,
        author=author if author and author.is_authenticated else None,
        action=action,
        note=note,
        snapshot=snapshot(actor),
    )


def changes(revisions: list[ActorRevision]) -> list[tuple[ActorRevision, list[tuple]]]:
    """Each revision (newest first) with its changed fields: (field, before, after)."""
    result = []
    for index, revision in enumerate(revisions):
        older = revisions[index + 1].snapshot if index + 1 < len(revisions) else {}
        changed = [
            (name, older.get(name), value)
            for name, value in revision.snapshot.items()
            if older and older.get(name) != value
        ]
        result.append((revision, changed))
    return result


@transaction.atomic
def revert(revision: ActorRevision, by) -> ActorRevision:
    """Put the actor back as it was at ``revision`` (its status included), as a new revision."""
    actor = revision.actor
    data = revision.snapshot
    for name in TRACKED_FIELDS:
        value = data.get(name)
        if name in DATETIME_FIELDS and value:
            value = parse_datetime(value)
        setattr(actor, name, value)
    actor.point = GEOSGeometry(data["point"])
    actor.save()
    actor.categories.set(data.get("categories", []))
    when = revision.created_at.strftime("%Y-%m-%d %H:%M")
    return record(
        actor,
        by,
        ActorRevision.Action.REVERTED,
        _("back to the version of %(when)s") % {"when": when},
    )
