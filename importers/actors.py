"""Upsert actors read from a directory, keyed by (source key, source id), all or nothing.

Rows whose point lies in no known commune are skipped: the map only shows what belongs to a
commune we know. The commune itself is set by the database trigger, never here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction

from importers.errors import ImportFailed


@dataclass
class ActorRow:
    source_id: str
    kind: str
    name: str
    lon: float
    lat: float
    summary: str = ""
    address: str = ""
    tags: list[str] = field(default_factory=list)
    website: str = ""


@dataclass
class ActorImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}"
        )


STAGE_SQL = """
CREATE TEMP TABLE incoming_actor (
    source_id text PRIMARY KEY, kind text, name text, summary text, address text,
    tags varchar(100)[], website text, point geometry(Point, 4326)
) ON COMMIT DROP
"""

INSERT_STAGE_SQL = """
INSERT INTO incoming_actor VALUES
    (%s, %s, %s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
"""

OUTSIDE_SQL = """
DELETE FROM incoming_actor WHERE geocivic_commune_covering(point) IS NULL RETURNING name
"""

UPSERT_SQL = """
INSERT INTO actors_actor AS a
    (kind, name, summary, point, address, tags, website, source_key, source_id, status,
     created_at, updated_at)
SELECT kind, name, summary, point, address, tags, website, %(source_key)s, source_id,
       'published', now(), now()
FROM incoming_actor
ON CONFLICT (source_key, source_id) WHERE NOT (source_id = '') DO UPDATE SET
    kind = EXCLUDED.kind, name = EXCLUDED.name, summary = EXCLUDED.summary,
    point = EXCLUDED.point, address = EXCLUDED.address, tags = EXCLUDED.tags,
    website = EXCLUDED.website, updated_at = now()
WHERE (a.kind, a.name, a.summary, a.address, a.tags, a.website)
      IS DISTINCT FROM
      (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.summary, EXCLUDED.address, EXCLUDED.tags,
       EXCLUDED.website)
   OR NOT ST_Equals(a.point, EXCLUDED.point)
RETURNING (xmax = 0) AS inserted
"""


def upsert_actors(
    rows: list[ActorRow],
    *,
    source_key: str,
    warnings: list[str] | None = None,
    dry_run: bool = False,
) -> ActorImportSummary:
    """Insert new actors, update changed ones, leave the rest; one transaction."""
    if not source_key:
        raise ImportFailed("a source key is needed to recognise actors on the next import")
    duplicates = sorted(i for i, n in Counter(r.source_id for r in rows).items() if n > 1)
    if duplicates:
        raise ImportFailed(f"source ids appear twice: {', '.join(duplicates[:5])}")
    summary = ActorImportSummary(warnings=list(warnings or []))
    summary.skipped = len(summary.warnings)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(STAGE_SQL)
        cursor.executemany(
            INSERT_STAGE_SQL,
            [
                (r.source_id, r.kind, r.name, r.summary, r.address, r.tags, r.website, r.lon, r.lat)
                for r in rows
            ],
        )
        cursor.execute(OUTSIDE_SQL)
        outside = cursor.fetchall()
        summary.skipped += len(outside)
        if outside:
            summary.warnings.append(
                f"{len(outside)} actors lie outside every known commune, skipped"
            )
        cursor.execute(UPSERT_SQL, {"source_key": source_key})
        changed = [inserted for (inserted,) in cursor.fetchall()]
        summary.created = sum(changed)
        summary.updated = len(changed) - summary.created
        summary.unchanged = len(rows) - len(outside) - len(changed)
        # ON COMMIT DROP does not fire when this block is a savepoint inside a larger transaction.
        cursor.execute("DROP TABLE incoming_actor")
        if dry_run:
            transaction.set_rollback(True)
    return summary
