"""Recording activities: one row per event, its subjects beside it, then the fan-out job.

Recording is idempotent by key (``INSERT … ON CONFLICT DO NOTHING``): the same publication
seen twice (a re-approval, a retried job) makes one activity and one fan-out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from geo_civic.social.models import Activity, ActivitySubject, Subject


@dataclass
class Event:
    verb: str
    key: str
    title: str
    url: str
    commune_id: int | None = None
    actor_id: int | None = None
    space_id: int | None = None
    proposal_id: int | None = None
    user_id: int | None = None
    news_id: int | None = None
    location: Point | None = None
    # Further subjects (e.g. every commune of an EPCI's space): (Subject, id).
    also: Iterable[tuple[str, int]] = field(default_factory=tuple)
    created_at: datetime | None = None

    def subjects(self) -> set[tuple[str, int]]:
        pairs = {
            (Subject.COMMUNE, self.commune_id), (Subject.ACTOR, self.actor_id),
            (Subject.SPACE, self.space_id), (Subject.PROPOSAL, self.proposal_id),
            (Subject.USER, self.user_id), *self.also,
        }  # fmt: skip
        return {(str(kind), int(ref)) for kind, ref in pairs if ref is not None}


@transaction.atomic
def record(event: Event, *, fan_out: bool = True) -> Activity | None:
    """The new activity, or None when its key was already recorded."""
    created_at = event.created_at or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Activity._meta.db_table}
              (verb, key, title, url, created_at, commune_id, actor_id, space_id, proposal_id,
               user_id, news_id, location)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, ST_GeomFromEWKB(%s))
            ON CONFLICT (key) DO NOTHING RETURNING id
            """,  # noqa: S608 (our table name; every value a parameter)
            [event.verb, event.key[:100], event.title[:200], event.url[:500], created_at,
             event.commune_id, event.actor_id, event.space_id, event.proposal_id,
             event.user_id, event.news_id,
             bytes(event.location.ewkb) if event.location is not None else None],
        )  # fmt: skip
        row = cursor.fetchone()
    if row is None:
        return None
    activity = Activity.objects.get(pk=row[0])
    ActivitySubject.objects.bulk_create(
        ActivitySubject(activity=activity, subject=kind, target_id=ref, created_at=created_at)
        for kind, ref in sorted(event.subjects())
    )
    if fan_out:
        from geo_civic.social.tasks import fan_out_activity

        # In this transaction: the job exists if and only if the activity does.
        fan_out_activity.defer(activity_id=activity.pk)
    return activity
