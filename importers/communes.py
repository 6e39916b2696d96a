"""Load commune boundaries from any file GDAL reads into the commune table, all or nothing.

GDAL reads and reprojects; PostGIS repairs geometries and does the upsert in one statement, so
a second identical import changes nothing and reports every commune as unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException, SpatialReference
from django.db import connection, transaction

from geo_civic.territories.models import departement_of
from importers.errors import ImportFailed
from importers.gdal_messages import collect_gdal_messages

WGS84 = SpatialReference(4326)


@dataclass
class CommuneRow:
    code: str
    name: str
    wkb: bytes


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    actors_moved: int = 0
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, retired {self.retired}"
        )


def read_communes(path: Path, *, code_field: str, name_field: str) -> list[CommuneRow]:
    """Read every feature of the file's first layer, reprojected to WGS 84."""
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    with collect_gdal_messages() as gdal_said:
        try:
            return _read_layer(path, code_field, name_field)
        except GDALException as exc:
            reason = "; ".join(gdal_said) or str(exc)
            raise ImportFailed(f"{path}: GDAL cannot read it ({reason})") from exc


def _read_layer(path: Path, code_field: str, name_field: str) -> list[CommuneRow]:
    source = DataSource(str(path))
    if not len(source):
        raise ImportFailed(f"{path}: the file holds no layer")
    layer = source[0]
    for wanted, flag in ((code_field, "--code-field"), (name_field, "--name-field")):
        if wanted not in layer.fields:
            raise ImportFailed(
                f"{path}: no field {wanted!r} (use {flag}); the file has: {', '.join(layer.fields)}"
            )
    rows: list[CommuneRow] = []
    seen: set[str] = set()
    for index, feature in enumerate(layer, start=1):
        code = str(feature.get(code_field) or "").strip()
        name = str(feature.get(name_field) or "").strip()
        if not code:
            raise ImportFailed(f"{path}: feature {index} has an empty {code_field!r}")
        if code in seen:
            raise ImportFailed(f"{path}: commune code {code} appears twice")
        seen.add(code)
        try:
            geom = feature.geom
        except GDALException:
            raise ImportFailed(f"{path}: commune {code} has no geometry") from None
        if geom.srs is None:
            raise ImportFailed(f"{path}: the file declares no CRS")
        geom.transform(WGS84)
        rows.append(CommuneRow(code, name or code, bytes(geom.wkb)))
    if not rows:
        raise ImportFailed(f"{path}: the file holds no feature")
    return rows


STAGE_SQL = """
CREATE TEMP TABLE incoming_commune (code text PRIMARY KEY, name text, dep text, geom geometry)
ON COMMIT DROP
"""

INVALID_SQL = """
SELECT code, name, ST_IsValidReason(geom) FROM incoming_commune WHERE NOT ST_IsValid(geom)
ORDER BY code
"""

# Repair only what needs it, so valid input stays byte-identical and re-imports are no-ops.
REPAIR_SQL = """
UPDATE incoming_commune
SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
WHERE NOT ST_IsValid(geom) OR GeometryType(geom) <> 'MULTIPOLYGON'
"""

DROP_EMPTY_SQL = "DELETE FROM incoming_commune WHERE ST_IsEmpty(geom) RETURNING code, name"

UPSERT_SQL = """
INSERT INTO territories_commune
    (country, code, name, departement_code, region_code, boundary, source, valid_from, valid_to)
SELECT %(country)s, code, name, dep, '', geom, %(source)s, NULL, NULL FROM incoming_commune
ON CONFLICT ON CONSTRAINT commune_country_code_unique DO UPDATE SET
    name = EXCLUDED.name,
    departement_code = EXCLUDED.departement_code,
    boundary = EXCLUDED.boundary,
    source = EXCLUDED.source,
    valid_to = NULL
WHERE territories_commune.name IS DISTINCT FROM EXCLUDED.name
   OR territories_commune.departement_code IS DISTINCT FROM EXCLUDED.departement_code
   OR territories_commune.valid_to IS NOT NULL
   OR ST_AsBinary(territories_commune.boundary) <> ST_AsBinary(EXCLUDED.boundary)
RETURNING (xmax = 0) AS inserted
"""

REATTACH_ACTORS_SQL = """
UPDATE actors_actor
SET commune_id = geocivic_commune_covering(point)
WHERE commune_id IS DISTINCT FROM geocivic_commune_covering(point)
"""


def import_communes(
    path: Path,
    *,
    code_field: str = "code",
    name_field: str = "nom",
    country: str = "FR",
    source: str = "",
    dry_run: bool = False,
) -> ImportSummary:
    """Upsert the communes of ``path`` keyed by (country, code), then re-attach actors."""
    rows = read_communes(Path(path), code_field=code_field, name_field=name_field)
    summary = ImportSummary()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(STAGE_SQL)
        cursor.executemany(
            "INSERT INTO incoming_commune VALUES (%s, %s, %s, ST_GeomFromWKB(%s, 4326))",
            [
                (r.code, r.name, departement_of(r.code) if country == "FR" else "", r.wkb)
                for r in rows
            ],
        )
        cursor.execute(INVALID_SQL)
        for code, name, reason in cursor.fetchall():
            summary.warnings.append(
                f"commune {code} ({name}): invalid geometry repaired ({reason})"
            )
        cursor.execute(REPAIR_SQL)
        cursor.execute(DROP_EMPTY_SQL)
        skipped = cursor.fetchall()
        for code, name in skipped:
            summary.warnings.append(f"commune {code} ({name}): empty geometry, skipped")
        cursor.execute(UPSERT_SQL, {"country": country, "source": source or str(path)})
        changed = [inserted for (inserted,) in cursor.fetchall()]
        summary.created = sum(changed)
        summary.updated = len(changed) - summary.created
        summary.unchanged = len(rows) - len(skipped) - len(changed)
        cursor.execute(REATTACH_ACTORS_SQL)
        summary.actors_moved = cursor.rowcount
        # ON COMMIT DROP does not fire when this block is a savepoint inside a larger transaction.
        cursor.execute("DROP TABLE incoming_commune")
        if dry_run:
            transaction.set_rollback(True)
    return summary
