"""Synchronise the commune table with a boundary file, all or nothing.

GDAL reads and reprojects (``commune_files``); the rows are copied into a staging table and
PostGIS does the rest set-based in one transaction: repair, diff, upsert keyed by (country, code),
retire the communes a complete file no longer has (never delete: actors keep their history),
link each retired commune to the one that now covers it, re-attach actors, refresh the
simplified shapes that serving reads. A second identical import changes nothing.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from geo_civic.territories.models import departement_of
from geo_civic.territories.shapes import refresh_commune_shapes
from importers.commune_files import CommuneFile, CommuneRow, FieldChoice, open_commune_file
from importers.datasets import sha256_of
from importers.errors import ImportFailed, option
from importers.models import ImportRun

# A complete import may retire at most this share of a territory's communes without --force.
MAX_RETIRED_SHARE = 0.20
# A new commune covering more than this share of a retired one is its successor.
SUCCESSOR_SHARE = 0.5


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    actors_moved: int = 0
    schema: str = ""
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, retired {self.retired}"
        )


@dataclass(frozen=True)
class Territory:
    """A scope a file is complete for: a whole country, or one département of it."""

    country: str
    departement: str | None = None

    def __str__(self) -> str:
        return f"département {self.departement}" if self.departement else f"country {self.country}"


def complete_territories(
    present: list[tuple[str, str]], complete_for: str | None, country: str
) -> list[Territory]:
    """By default, the French départements present in the file; ``none`` for nothing."""
    if complete_for is None:
        return [Territory(c, d) for c, d in present if c == "FR" and d]
    wanted = complete_for.strip()
    if wanted.lower() in ("", "none"):
        return []
    if wanted.isalpha() and len(wanted) == 2:
        return [Territory(wanted.upper())]
    return [Territory(country, part.strip().upper()) for part in wanted.split(",") if part.strip()]


STAGE_SQL = """
CREATE TEMP TABLE incoming_commune (
    feature integer, country text, code text, name text, population bigint,
    dep text, region text, wkb bytea, geom geometry, invalid_reason text
) ON COMMIT DROP
"""

# Binary COPY: WKB goes over the wire as is, not hex-escaped.
COPY_SQL = (
    "COPY incoming_commune (feature, country, code, name, population, dep, region, wkb) "
    "FROM STDIN (FORMAT BINARY)"
)
COPY_TYPES = ["int4", "text", "text", "text", "int8", "text", "text", "bytea"]

TO_GEOMETRY_SQL = "UPDATE incoming_commune SET geom = ST_GeomFromWKB(wkb, 4326), wkb = NULL"

# One validity check per commune, its reason kept for the warning.
INVALID_SQL = """
UPDATE incoming_commune SET invalid_reason = ST_IsValidReason(geom)
WHERE geom IS NOT NULL AND NOT ST_IsValid(geom)
"""

# Repair only what needs it (and force MultiPolygon), so valid input stays byte-identical and
# re-imports are no-ops.
REPAIR_SQL = """
UPDATE incoming_commune
SET geom = CASE WHEN invalid_reason IS NULL THEN ST_Multi(geom)
                ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) END
WHERE invalid_reason IS NOT NULL OR GeometryType(geom) <> 'MULTIPOLYGON'
RETURNING feature, code, name, invalid_reason
"""

# A commune whose geometry is empty stays in the file (so it is not retired) but is not loaded.
EMPTY_SQL = """
UPDATE incoming_commune SET geom = NULL WHERE ST_IsEmpty(geom) RETURNING feature, code, name
"""

RETIRABLE_SQL = """
SELECT c.id, c.code, c.name,
       (SELECT count(*) FROM territories_commune t
        WHERE t.valid_to IS NULL AND t.country = %(country)s
          AND (%(dep)s::text IS NULL OR t.departement_code = %(dep)s))
FROM territories_commune c
WHERE c.valid_to IS NULL AND c.country = %(country)s
  AND (%(dep)s::text IS NULL OR c.departement_code = %(dep)s)
  -- NOT IN over a subquery is hashed whatever the (possibly stale) statistics say
  AND c.code::text NOT IN (SELECT i.code FROM incoming_commune i WHERE i.country = %(country)s)
ORDER BY c.code
"""

UPDATE_SQL = """
UPDATE territories_commune c SET
    name = i.name,
    departement_code = i.dep,
    region_code = COALESCE(i.region, c.region_code),
    population = COALESCE(i.population, c.population),
    boundary = i.geom,
    source = %(source)s,
    valid_to = NULL,
    successor_id = NULL
FROM incoming_commune i
WHERE i.geom IS NOT NULL AND c.country = i.country AND c.code = i.code AND (
       c.name IS DISTINCT FROM i.name
    OR c.departement_code IS DISTINCT FROM i.dep
    OR (i.region IS NOT NULL AND c.region_code IS DISTINCT FROM i.region)
    OR (i.population IS NOT NULL AND c.population IS DISTINCT FROM i.population)
    OR c.valid_to IS NOT NULL
    OR ST_AsBinary(c.boundary) <> ST_AsBinary(i.geom))
RETURNING c.id
"""

INSERT_SQL = """
INSERT INTO territories_commune (country, code, name, departement_code, region_code, population,
                                 boundary, source, valid_from, valid_to)
SELECT i.country, i.code, i.name, i.dep, COALESCE(i.region, ''), i.population, i.geom,
       %(source)s, %(valid_from)s, NULL
FROM incoming_commune i
WHERE i.geom IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM territories_commune c WHERE c.country = i.country AND c.code = i.code)
RETURNING id
"""

RETIRE_SQL = "UPDATE territories_commune SET valid_to = %(day)s WHERE id = ANY(%(ids)s)"

# Communes nouvelles: the current commune covering most of a retired one succeeds it.
SUCCESSOR_SQL = """
WITH best AS (
    SELECT DISTINCT ON (r.id) r.id AS retired_id, n.id AS successor_id,
           ST_Area(ST_Intersection(n.boundary, r.boundary)) / NULLIF(ST_Area(r.boundary), 0)
               AS share
    FROM territories_commune r
    JOIN territories_commune n
      ON n.valid_to IS NULL AND n.country = r.country AND n.boundary && r.boundary
    WHERE r.id = ANY(%(ids)s)
    ORDER BY r.id, share DESC NULLS LAST
)
UPDATE territories_commune r SET successor_id = best.successor_id
FROM best JOIN territories_commune n ON n.id = best.successor_id
WHERE r.id = best.retired_id AND best.share > %(share)s
RETURNING r.code, r.name, n.code, n.name
"""

# Only actors a changed commune may concern: those in it, those in none, those its new boundary
# now reaches (found through the spatial index), so an unchanged national re-import is cheap.
REATTACH_ACTORS_SQL = """
WITH changed AS (
    SELECT boundary FROM territories_commune WHERE id = ANY(%(ids)s)
), concerned AS (
    SELECT a.id FROM actors_actor a WHERE a.commune_id = ANY(%(ids)s) OR a.commune_id IS NULL
    UNION
    SELECT a.id FROM actors_actor a JOIN changed c ON a.point && c.boundary
)
UPDATE actors_actor a
SET commune_id = geocivic_commune_covering(a.point)
FROM concerned
WHERE a.id = concerned.id AND a.commune_id IS DISTINCT FROM geocivic_commune_covering(a.point)
"""


def import_communes(
    path: Path,
    *,
    code_field: str | None = None,
    name_field: str | None = None,
    population_field: str | None = None,
    schema: str = "auto",
    layer: str | None = None,
    srid: int | None = None,
    encoding: str | None = None,
    country: str = "FR",
    source: str = "",
    complete_for: str | None = None,
    valid_from: datetime.date | None = None,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Synchronise the communes of ``path`` into the database; see the module docstring."""
    started = time.monotonic()
    choice = FieldChoice(schema, code_field, name_field, population_field, layer, srid, encoding)
    with (
        open_commune_file(Path(path), choice, progress) as read,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _stage(cursor, _checked(read, country.upper()))
        # Warnings of the reading come first, in file order.
        summary = ImportSummary(schema=read.schema, warnings=read.warnings)
        cursor.execute("SELECT DISTINCT country, dep FROM incoming_commune ORDER BY 1, 2")
        territories = complete_territories(cursor.fetchall(), complete_for, country.upper())
        loaded = _repair(cursor, summary)
        retiring = _retirable(cursor, territories, force, read.path)
        cursor.execute(UPDATE_SQL, {"source": source or str(path)})
        changed = [id_ for (id_,) in cursor.fetchall()]
        cursor.execute(INSERT_SQL, {"source": source or str(path), "valid_from": valid_from})
        created = [id_ for (id_,) in cursor.fetchall()]
        summary.created, summary.updated = len(created), len(changed)
        summary.unchanged = loaded - len(created) - len(changed)
        _retire(cursor, retiring, valid_from or datetime.date.today(), summary)
        touched = [*created, *changed, *(row[0] for row in retiring)]
        refresh_commune_shapes(touched)
        cursor.execute(REATTACH_ACTORS_SQL, {"ids": touched})
        summary.actors_moved = cursor.rowcount
        _record(read, source or str(path), choice, summary, started, complete_for, valid_from)
        # ON COMMIT DROP does not fire when this block is a savepoint inside a larger transaction.
        cursor.execute("DROP TABLE incoming_commune")
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _checked(read: CommuneFile, country: str) -> Iterator[CommuneRow]:
    """Fill in country and département, refuse duplicated codes and values that do not fit."""
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for row in read.rows:
        row.country = row.country or country
        if row.country == "FR" and not row.departement:
            row.departement = departement_of(row.code)
        key = (row.country, row.code)
        if key in seen:
            feature, name = seen[key]
            raise ImportFailed(
                f"{read.path}: commune code {row.code} appears twice: feature {feature} "
                f"({name}) and feature {row.feature} ({row.name})"
            )
        seen[key] = (row.feature, row.name)
        for value, limit, what in (
            (row.code, 10, "code"),
            (row.name, 200, "name"),
            (row.departement or "", 3, "département code"),
            (row.region or "", 3, "région code"),
            (row.country, 2, "country code"),
        ):
            if len(value) > limit:
                raise ImportFailed(
                    f"{read.path}: {row.label()}: {what} {value!r} is longer than {limit}"
                )
        yield row


def _stage(cursor, rows: Iterator[CommuneRow]) -> None:
    cursor.execute(STAGE_SQL)
    with cursor.cursor.copy(COPY_SQL) as copy:
        copy.set_types(COPY_TYPES)
        for r in rows:
            values = (r.country, r.code, r.name, r.population, r.departement or "", r.region)
            copy.write_row((r.feature, *values, r.wkb))
    cursor.execute(TO_GEOMETRY_SQL)
    # The commune table's statistics may be stale (first load): an index keeps joins cheap.
    cursor.execute("CREATE UNIQUE INDEX ON incoming_commune (country, code)")
    cursor.execute("ANALYZE incoming_commune")


def _repair(cursor, summary: ImportSummary) -> int:
    """Repair invalid geometries and force MultiPolygon; returns how many communes load."""
    cursor.execute(INVALID_SQL)
    cursor.execute(REPAIR_SQL)
    for feature, code, name, reason in sorted(cursor.fetchall()):
        if reason:
            summary.warnings.append(
                f"feature {feature} (commune {code}, {name}): invalid geometry repaired ({reason})"
            )
    cursor.execute(EMPTY_SQL)
    for feature, code, name in cursor.fetchall():
        summary.warnings.append(
            f"feature {feature} (commune {code}, {name}): empty geometry once repaired, skipped"
        )
    cursor.execute("SELECT count(*) FROM incoming_commune WHERE geom IS NOT NULL")
    (loaded,) = cursor.fetchone()
    if not loaded:
        raise ImportFailed("the file holds no commune with a geometry")
    return loaded


def _retirable(cursor, territories: list[Territory], force: bool, path: Path) -> list[tuple]:
    """Communes of the complete territories missing from the file; refuse a mass retirement."""
    retiring: list[tuple] = []
    for territory in territories:
        cursor.execute(RETIRABLE_SQL, {"country": territory.country, "dep": territory.departement})
        missing = cursor.fetchall()
        if not missing:
            continue
        total = missing[0][3]
        if len(missing) > MAX_RETIRED_SHARE * total and not force:
            raise ImportFailed(
                f"{path}: would retire {len(missing)} of the {total} communes of {territory} "
                f"(more than {MAX_RETIRED_SHARE:.0%}), e.g. {missing[0][1]} {missing[0][2]}: "
                f"is the file complete? Pass {option('force')} to retire them, or "
                f"{option('complete_for')} none"
            )
        retiring.extend(missing)
    return retiring


def _retire(cursor, retiring: list[tuple], day: datetime.date, summary: ImportSummary) -> None:
    if not retiring:
        return
    ids = [row[0] for row in retiring]
    cursor.execute(RETIRE_SQL, {"day": day, "ids": ids})
    summary.retired = len(ids)
    cursor.execute(SUCCESSOR_SQL, {"ids": ids, "share": SUCCESSOR_SHARE})
    successors = {code: (new_code, new_name) for code, _, new_code, new_name in cursor.fetchall()}
    for _, code, name, _ in retiring:
        then = f", succeeded by {' '.join(successors[code])}" if code in successors else ""
        summary.warnings.append(f"commune {code} ({name}) retired on {day.isoformat()}{then}")


def _record(
    read: CommuneFile,
    source: str,
    choice: FieldChoice,
    summary: ImportSummary,
    started: float,
    complete_for: str | None,
    valid_from: datetime.date | None,
) -> None:
    """Keep an ImportRun, in the import's transaction: it exists exactly when the import does."""
    options = {k: v for k, v in vars(choice).items() if v is not None}
    options.update(schema=summary.schema, crs=read.crs)
    if complete_for is not None:
        options["complete_for"] = complete_for
    if valid_from:
        options["valid_from"] = valid_from.isoformat()
    ImportRun.objects.create(
        kind="communes",
        source=source[:500],
        checksum=sha256_of(read.path) if read.path.is_file() else "",
        options=options,
        counts={
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "retired": summary.retired,
            "actors moved": summary.actors_moved,
        },
        warnings=summary.warnings,
        duration_s=round(time.monotonic() - started, 3),
    )
