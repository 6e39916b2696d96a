"""A person's feed: the activities of what they follow and of their commune, newest first.

One SQL statement: for each followed subject (and the commune of the residence, read here and
never shown), the index ``activity_subject_feed_idx`` gives its newest activities below the
cursor, at most a page each; the union is deduplicated, sorted and cut to a page. Nothing is
copied per follower when an activity is written. The cursor (time, id) of the last row makes
pages stable when newer activities arrive.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from geo_civic.participation.models import Residence
from geo_civic.social.models import Activity, ActivitySubject, Follow
from geo_civic.web.params import ParameterError

PAGE = 20
MAX_PAGE = 100
# Before any cursor: later than every activity.
TOP = "infinity"

FEED_SQL = f"""
WITH followed AS (
    SELECT subject, target_id FROM {Follow._meta.db_table} WHERE user_id = %(user)s
    UNION
    SELECT 'commune', commune_id FROM {Residence._meta.db_table}
     WHERE user_id = %(user)s AND commune_id IS NOT NULL
), newest AS (
    SELECT DISTINCT x.activity_id, x.created_at
      FROM followed f
     CROSS JOIN LATERAL (
        SELECT s.activity_id, s.created_at FROM {ActivitySubject._meta.db_table} s
         WHERE s.subject = f.subject AND s.target_id = f.target_id
           AND (s.created_at, s.activity_id) < (%(before)s::timestamptz, %(before_id)s)
         ORDER BY s.created_at DESC, s.activity_id DESC
         LIMIT %(limit)s
     ) x
     ORDER BY x.created_at DESC, x.activity_id DESC
     LIMIT %(limit)s
)
SELECT a.id, a.verb, a.title, a.url, a.created_at, a.commune_id, a.actor_id, a.space_id,
       a.proposal_id, a.news_id
  FROM newest n JOIN {Activity._meta.db_table} a ON a.id = n.activity_id
 ORDER BY n.created_at DESC, n.activity_id DESC
"""  # noqa: S608 (our table names; every value a parameter)

COLUMNS = ("id", "verb", "title", "url", "created_at", "commune", "actor", "space", "proposal",
           "news")  # fmt: skip


@dataclass(frozen=True)
class Page:
    items: list[dict]
    next_cursor: str | None


def encode_cursor(created_at: datetime, activity_id: int) -> str:
    raw = f"{created_at.isoformat()}|{activity_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    """(ISO time, id) from a cursor this module made; anything else is a ParameterError."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, ident = raw.partition("|")
        when = parse_datetime(moment)
        if when is None or when.tzinfo is None or not ident.isdigit() or len(ident) > 18:
            raise ValueError(raw)
    except ValueError:
        raise ParameterError(
            "cursor: give back the next_cursor of a previous page", "cursor"
        ) from None
    return when.isoformat(), int(ident)


def feed_params(user_id: int, cursor: str | None = None, limit: int = PAGE) -> dict:
    before, before_id = decode_cursor(cursor) if cursor else (TOP, 0)
    return {"user": user_id, "before": before, "before_id": before_id, "limit": limit}


def feed(user, cursor: str | None = None, limit: int = PAGE) -> Page:
    """One page of ``user``'s feed after ``cursor`` (None: the newest)."""
    with connection.cursor() as db:
        db.execute(FEED_SQL, feed_params(user.pk, cursor, limit))
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in db.fetchall()]
    last = rows[-1] if len(rows) == limit else None
    return Page(rows, encode_cursor(last["created_at"], last["id"]) if last else None)
