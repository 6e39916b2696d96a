"""Upsert actors read from a directory, keyed by (source key, source id), all or nothing.

Rows are skipped, each with its reason, when they have no location (no coordinates and an
address no geocoder resolves), when their point lies in no known commune (the map only shows what
belongs to a commune we know), or when they are a likely duplicate of a published actor (same
name key within 200 m of its published position) or of an earlier row of the same file. The
commune itself is set by the database trigger, never here.
"""

from __future__ import annotations

import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields

from django.db import connection, transaction

from geo_civic.actors.markdown_text import render_markdown
from geo_civic.actors.models import Category
from geo_civic.actors.names import actor_slug, name_key
from importers.errors import ImportFailed
from importers.models import ImportRun


@dataclass
class ActorRow:
    source_id: str
    kind: str
    name: str
    lon: float | None
    lat: float | None
    summary: str = ""
    address: str = ""
    tags: list[str] = field(default_factory=list)
    website: str = ""
    description: str = ""
    # Contacts are stored private: a steward publishes them by hand, never an import.
    email: str = ""
    phone: str = ""
    # Help the geocoders when there are no coordinates.
    postcode: str = ""
    city: str = ""
    citycode: str = ""
    # (category name, parent category name or "") pairs: the source's taxonomy, as a tree.
    categories: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ActorImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    # reason -> labels of the rows skipped for it
    skipped_rows: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def skip(self, reason: str, label: str) -> None:
        self.skipped += 1
        self.skipped_rows[reason].append(label)

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}"
        )

    def report(self, shown: int = 10) -> list[str]:
        """One line per reason: how many rows, and the first few of them by name."""
        lines = list(self.warnings)
        for reason, labels in self.skipped_rows.items():
            more = f" … and {len(labels) - shown} more" if len(labels) > shown else ""
            lines.append(f"skipped {len(labels)} ({reason}): {'; '.join(labels[:shown])}{more}")
        return lines


# A geocoder takes a row and gives (lon, lat) or None; see geo_civic.geocoding.
RowGeocoder = Callable[[ActorRow], tuple[float, float] | None]

STAGE_SQL = """
CREATE TEMP TABLE incoming_actor (
    source_id text PRIMARY KEY, kind text, name text, name_key text, slug text, summary text,
    description text, description_html text, address text, tags varchar(100)[], website text,
    email text, phone text, point geometry(Point, 4326)
) ON COMMIT DROP
"""

COPY_STAGE_SQL = """
COPY incoming_actor (source_id, kind, name, name_key, slug, summary, description,
                     description_html, address, tags, website, email, phone, point) FROM STDIN
"""

OUTSIDE_SQL = """
DELETE FROM incoming_actor WHERE geocivic_commune_covering(point) IS NULL
RETURNING name
"""

# A later row of the file with the same name key within 200 m of an earlier one.
DUPLICATE_IN_FILE_SQL = """
DELETE FROM incoming_actor later USING incoming_actor earlier
WHERE later.name_key = earlier.name_key AND later.source_id > earlier.source_id
  AND ST_DWithin(later.point::geography, earlier.point::geography, 200)
RETURNING later.name, earlier.name
"""

# A new row (not yet known under this source key) that a published actor already stands for.
# Measured from the published position only: from the exact point of a home, importing a name at
# chosen places would tell where that home is; entries not published are nobody else's business.
DUPLICATE_STORED_SQL = """
DELETE FROM incoming_actor i USING actors_actor a
WHERE a.name_key = i.name_key
  AND a.status = 'published'
  AND ST_DWithin(a.public_point::geography, i.point::geography, 200)
  AND NOT EXISTS (
      SELECT 1 FROM actors_actor known
      WHERE known.source_key = %(source_key)s AND known.source_id = i.source_id
  )
RETURNING i.name, a.id, a.name
"""

CATEGORY_STAGE_SQL = """
CREATE TEMP TABLE incoming_category (source_id text, slug text, PRIMARY KEY (source_id, slug))
ON COMMIT DROP
"""

# Imported actors carry exactly their source's categories.
CATEGORY_UNLINK_SQL = """
DELETE FROM actors_actor_categories l USING actors_actor a, incoming_actor i
WHERE l.actor_id = a.id AND a.source_key = %(source_key)s AND a.source_id = i.source_id
  AND NOT EXISTS (
      SELECT 1 FROM incoming_category ic JOIN actors_category c ON c.slug = ic.slug
      WHERE ic.source_id = i.source_id AND c.id = l.category_id
  )
"""

CATEGORY_LINK_SQL = """
INSERT INTO actors_actor_categories (actor_id, category_id)
SELECT a.id, c.id
FROM incoming_category ic
JOIN incoming_actor i ON i.source_id = ic.source_id
JOIN actors_actor a ON a.source_key = %(source_key)s AND a.source_id = ic.source_id
JOIN actors_category c ON c.slug = ic.slug
ON CONFLICT DO NOTHING
"""

UPSERT_SQL = """
INSERT INTO actors_actor AS a
    (kind, name, name_key, slug, summary, description, description_html, point, address, tags,
     website, email, phone, source_key, source_id, status, created_at, updated_at)
SELECT kind, name, name_key, slug, summary, description, description_html, point, address, tags,
       website, email, phone, %(source_key)s, source_id, 'published', now(), now()
FROM incoming_actor
ON CONFLICT (source_key, source_id) WHERE NOT (source_id = '') DO UPDATE SET
    kind = EXCLUDED.kind, name = EXCLUDED.name, name_key = EXCLUDED.name_key,
    slug = EXCLUDED.slug, summary = EXCLUDED.summary, description = EXCLUDED.description,
    description_html = EXCLUDED.description_html,
    point = EXCLUDED.point, address = EXCLUDED.address, tags = EXCLUDED.tags,
    website = EXCLUDED.website, email = EXCLUDED.email, phone = EXCLUDED.phone,
    updated_at = now()
WHERE (a.kind, a.name, a.summary, a.description, a.address, a.tags, a.website, a.email, a.phone)
      IS DISTINCT FROM
      (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.summary, EXCLUDED.description, EXCLUDED.address,
       EXCLUDED.tags, EXCLUDED.website, EXCLUDED.email, EXCLUDED.phone)
   OR NOT ST_Equals(a.point, EXCLUDED.point)
RETURNING (xmax = 0) AS inserted
"""


def _texts(row: ActorRow) -> Iterator[str]:
    for item in fields(row):
        value = getattr(row, item.name)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for element in value:
                yield from (element,) if isinstance(element, str) else element


def refuse_unstorable_text(rows: list[ActorRow]) -> None:
    """PostgreSQL text holds neither NUL nor half a UTF-16 pair: name the row before COPY does."""
    for index, row in enumerate(rows, start=1):
        for value in _texts(row):
            bad = "a NUL character" if "\x00" in value else ""
            if not bad and not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    bad = "an unpaired surrogate (\\ud800-\\udfff)"
            if bad:
                shown = row.name.encode("utf-8", "backslashreplace").decode()
                label = shown.replace("\x00", "\\x00")[:80]
                raise ImportFailed(f"record {index} ({label}): {bad} in its text, nothing imported")


def locate(
    rows: list[ActorRow], summary: ActorImportSummary, geocoder: RowGeocoder | None
) -> list[ActorRow]:
    """Rows with a point: given, or geocoded from the address; the others are skipped."""
    located = []
    for row in rows:
        if row.lon is None or row.lat is None:
            found = (
                geocoder(row) if geocoder and (row.address or row.city or row.citycode) else None
            )
            if found is None:
                summary.skip("no location", row.name)
                continue
            row.lon, row.lat = found
        located.append(row)
    return located


# Colour-blind-safe palette (Okabe–Ito, then Tol's muted): a new category gets one by its slug,
# so the same taxonomy gets the same colours on every server. A steward recolours in the admin.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#882255", "#117733",
    "#332288", "#999933", "#AA4499", "#44AA99",
)  # fmt: skip


def category_colour(slug: str) -> str:
    return PALETTE[zlib.crc32(slug.encode()) % len(PALETTE)]


def ensure_categories(pairs: set[tuple[str, str]]) -> None:
    """Create the categories (and their parents) that do not exist yet, keyed by slug."""
    for parent_name in sorted({p for _, p in pairs if p}):
        slug = actor_slug(parent_name)
        Category.objects.get_or_create(
            slug=slug, defaults={"name": parent_name, "colour": category_colour(slug)}
        )
    for name, parent_name in sorted(pairs):
        parent = Category.objects.get(slug=actor_slug(parent_name)) if parent_name else None
        slug = actor_slug(name)
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "parent": parent, "colour": category_colour(slug)}
        )


def link_categories(cursor, rows: list[ActorRow], source_key: str) -> None:
    pairs = {pair for row in rows for pair in row.categories}
    if not pairs:
        return
    ensure_categories(pairs)
    cursor.execute(CATEGORY_STAGE_SQL)
    links = {(row.source_id, actor_slug(name)) for row in rows for name, _ in row.categories}
    cursor.executemany("INSERT INTO incoming_category VALUES (%s, %s)", sorted(links))
    cursor.execute(CATEGORY_UNLINK_SQL, {"source_key": source_key})
    cursor.execute(CATEGORY_LINK_SQL, {"source_key": source_key})
    cursor.execute("DROP TABLE incoming_category")


def upsert_actors(
    rows: list[ActorRow],
    *,
    source_key: str,
    warnings: list[str] | None = None,
    dry_run: bool = False,
    geocoder: RowGeocoder | None = None,
    run: dict | None = None,
) -> ActorImportSummary:
    """Insert new actors, update changed ones, leave the rest; one transaction.

    ``warnings`` are the reader's: one per record it could not parse, each counted as skipped.
    ``run`` (``source``, ``checksum``, ``options``) describes the import for its ImportRun.
    """
    started = time.monotonic()
    if not source_key:
        raise ImportFailed("a source key is needed to recognise actors on the next import")
    duplicates = sorted(i for i, n in Counter(r.source_id for r in rows).items() if n > 1)
    if duplicates:
        raise ImportFailed(f"source ids appear twice: {', '.join(duplicates[:5])}")
    refuse_unstorable_text(rows)
    summary = ActorImportSummary()
    for warning in warnings or []:
        summary.skip("unparsable", warning)
    rows = locate(rows, summary, geocoder)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(STAGE_SQL)
        # COPY, not one INSERT a row: the point travels as EWKT text, which PostGIS parses.
        with cursor.copy(COPY_STAGE_SQL) as copy:
            for r in rows:
                copy.write_row(
                    (r.source_id, r.kind, r.name, name_key(r.name), actor_slug(r.name), r.summary,
                     r.description, render_markdown(r.description), r.address, r.tags, r.website,
                     r.email, r.phone, f"SRID=4326;POINT({r.lon!r} {r.lat!r})")
                )  # fmt: skip
        cursor.execute(OUTSIDE_SQL)
        for (name,) in cursor.fetchall():
            summary.skip("outside every known commune", name)
        cursor.execute(DUPLICATE_IN_FILE_SQL)
        for name, earlier in cursor.fetchall():
            summary.skip("likely duplicate of an earlier row", f"{name} ≈ {earlier}")
        cursor.execute(DUPLICATE_STORED_SQL, {"source_key": source_key})
        for name, actor_id, actor_name in cursor.fetchall():
            summary.skip("likely duplicate of a stored actor", f"{name} ≈ #{actor_id} {actor_name}")
        cursor.execute("SELECT count(*) FROM incoming_actor")
        (kept,) = cursor.fetchone()
        cursor.execute(UPSERT_SQL, {"source_key": source_key})
        changed = [inserted for (inserted,) in cursor.fetchall()]
        summary.created = sum(changed)
        summary.updated = len(changed) - summary.created
        summary.unchanged = kept - len(changed)
        link_categories(cursor, rows, source_key)
        # ON COMMIT DROP does not fire when this block is a savepoint inside a larger transaction.
        cursor.execute("DROP TABLE incoming_actor")
        record_run(summary, source_key, run or {}, started)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def record_run(summary: ActorImportSummary, source_key: str, run: dict, started: float) -> None:
    """Keep an ImportRun, in the import's transaction: it exists exactly when the import does."""
    ImportRun.objects.create(
        kind="actors",
        source=(run.get("source") or source_key)[:500],
        checksum=run.get("checksum", ""),
        options={"source_key": source_key, **run.get("options", {})},
        counts={
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "skipped": summary.skipped,
        },
        warnings=summary.report(),
        duration_s=round(time.monotonic() - started, 3),
    )
