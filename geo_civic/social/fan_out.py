"""Who must be told of an activity: the people following any of its subjects, then the
residents of its communes who follow none of them ("nearby"), each person once.

Set-wise queries (the follows joined to the activity's subjects through their index, the
residences by commune); the author of the activity is not told of their own act. Both kinds
share the key ``activity:<id>``, so nobody hears twice of one activity, even when the job is
retried.
"""

from __future__ import annotations

from django.db import connection

from geo_civic.notifications.delivery import notify
from geo_civic.participation.models import Residence
from geo_civic.social.models import Activity, ActivitySubject, Follow, Subject


def followers_of(activity: Activity) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT f.user_id
              FROM {ActivitySubject._meta.db_table} s
              JOIN {Follow._meta.db_table} f
                ON f.subject = s.subject AND f.target_id = s.target_id
             WHERE s.activity_id = %s AND f.user_id IS DISTINCT FROM %s
             ORDER BY f.user_id
            """,  # noqa: S608 (our table names; every value a parameter)
            [activity.pk, activity.user_id],
        )
        return [row[0] for row in cursor.fetchall()]

def residents_near(activity: Activity) -> list[int]:
    """The people living in one of the activity's communes (their residence never shown)."""
    communes = ActivitySubject.objects.filter(activity=activity, subject=Subject.COMMUNE)
    residents = Residence.objects.filter(commune_id__in=communes.values("target_id"))
    if activity.user_id is not None:
        residents = residents.exclude(user_id=activity.user_id)
    return list(residents.order_by("user_id").values_list("user_id", flat=True))


def tell_followers(activity_id: int) -> int:
    """Notify the followers, then the other residents nearby (idempotent: one notification per
    person and activity); returns how many were created."""

    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:  # deleted meanwhile (its news removed): nothing to tell
        return 0
    followers = followers_of(activity)
    told = notify(
        followers, kind=activity.verb, title=activity.title, url=activity.url,
        key=f"activity:{activity.pk}",
    )  # fmt: skip
    nearby = sorted(set(residents_near(activity)) - set(followers))
    return told + notify(
        nearby, kind="nearby", title=activity.title, url=activity.url,
        key=f"activity:{activity.pk}",
    )  # fmt: skip
