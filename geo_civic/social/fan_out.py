"""Who must be told of an activity: the people following any of its subjects, each once.

One set-wise query (the follows joined to the activity's subjects through their index); the
author of the activity is not told of their own act.
"""

from __future__ import annotations

from django.db import connection

from geo_civic.notifications.delivery import notify
from geo_civic.social.models import Activity, ActivitySubject, Follow


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

def tell_followers(activity_id: int) -> int:
    """Notify the followers of the activity (idempotent: one notification per user and key)."""

    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:  # deleted meanwhile (its news removed): nothing to tell
        return 0
    return notify(
        followers_of(activity), kind=activity.verb, title=activity.title, url=activity.url,
        key=f"activity:{activity.pk}",
    )  # fmt: skip
