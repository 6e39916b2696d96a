"""Telling people: one set-wise INSERT for any number of recipients, then the chosen channels."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from geo_civic.notifications.models import Notification

DELIVER = "notifications.deliver"  # geo_civic.notifications.tasks.deliver


def notify(
    user_ids: Iterable[int], *, kind: str, title: str, url: str, key: str, body: str = ""
) -> int:
    """In-app notifications, once per (user, key) (INSERT … ON CONFLICT DO NOTHING, set-wise, no
    per-user Python loop for 10,000 users), then e-mail/push queued per each user's preferences;
    returns how many were created."""
    ids = sorted({int(user_id) for user_id in user_ids})
    if not ids:
        return 0
    table, users = Notification._meta.db_table, get_user_model()._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (user_id, kind, title, url, body, key, created_at)
            SELECT recipient, %s, %s, %s, %s, %s, now()
              FROM unnest(%s::bigint[]) AS recipient
             WHERE EXISTS (SELECT 1 FROM {users} AS u WHERE u.id = recipient)
            ON CONFLICT (user_id, key) DO NOTHING
            RETURNING id
            """,  # noqa: S608 (the table name is ours; every value is a parameter)
            [kind, title[:200], url[:500], body, key[:100], ids],
        )
        created = [row[0] for row in cursor.fetchall()]
        if created:
            # By its name: the jobs module imports this one (notify_users).
            deliver = app.configure_task(
                DELIVER, allow_unknown=False, queueing_lock=f"deliver:{key[:80]}"
            )
            try:
                with transaction.atomic():  # a savepoint: a refused defer keeps the rows
                    deliver.defer(key=key)
            except AlreadyEnqueued:
                pass  # a job for this key is waiting: it will read these rows too
    return len(created)
