"""Load the official COG (Code officiel géographique) from ``@etalab/decoupage-administratif``.

The npm package carries INSEE's COG as JSON under Licence Ouverte: régions, départements,
EPCI with their member communes, and communes with population and postal codes. Boundaries
come from ``import_communes``; this fills in the reference facts of the communes already there,
set-based in one transaction (PostgreSQL reads the JSON itself), all or nothing.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from importers.datasets import sha256_of
from importers.errors import ImportFailed
from importers.models import ImportRun

PACKAGE = "@etalab/decoupage-administratif"
FILES = ("regions.json", "departements.json", "epci.json", "communes.json")


def default_cog_dir() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / PACKAGE / "data"


@dataclass
class CogSummary:
    regions: int = 0
    departements: int = 0
    epci: int = 0
    communes: int = 0
    postal_codes: int = 0
    not_in_cog: int = 0
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"régions {self.regions}, départements {self.departements}, EPCI {self.epci}, "
            f"communes updated {self.communes}, postal codes {self.postal_codes}, "
            f"communes not in the COG {self.not_in_cog}"
        )


REGIONS_SQL = """
INSERT INTO territories_region (code, name)
SELECT r.code, r.nom FROM jsonb_to_recordset(%s::jsonb) AS r(code text, nom text)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
"""

DEPARTEMENTS_SQL = """
INSERT INTO territories_departement (code, name, region_id)
SELECT d.code, d.nom, r.id
FROM jsonb_to_recordset(%s::jsonb) AS d(code text, nom text, region text)
JOIN territories_region r ON r.code = d.region
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, region_id = EXCLUDED.region_id
"""

EPCI_SQL = """
INSERT INTO territories_epci (code, name, kind)
SELECT e.code, e.nom, e.type FROM jsonb_to_recordset(%s::jsonb) AS e(code text, nom text, type text)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind
"""

STAGE_SQL = """
CREATE TEMP TABLE cog_commune ON COMMIT DROP AS
SELECT * FROM jsonb_to_recordset(%s::jsonb)
    AS c(code text, name text, region text, population integer, epci text, postcodes text[],
         former text[])
"""

# Only what changed is written, so a second run reports 0 communes updated.
COMMUNES_SQL = """
UPDATE territories_commune t SET
    region_code = c.region,
    population = c.population,
    epci_id = e.id
FROM cog_commune c LEFT JOIN territories_epci e ON e.code = c.epci
WHERE t.country = 'FR' AND t.code = c.code AND (
       t.region_code IS DISTINCT FROM c.region
    OR t.population IS DISTINCT FROM c.population
    OR t.epci_id IS DISTINCT FROM e.id)
"""

POSTAL_CODES_SQL = """
INSERT INTO territories_postalcode (code)
SELECT DISTINCT unnest(postcodes) FROM cog_commune
ON CONFLICT (code) DO NOTHING
"""

UNLINK_SQL = """
DELETE FROM territories_commune_postal_codes l
USING territories_commune t
WHERE l.commune_id = t.id AND t.country = 'FR'
  AND NOT EXISTS (
    SELECT 1 FROM cog_commune c JOIN territories_postalcode p ON p.code = ANY(c.postcodes)
    WHERE c.code = t.code AND p.id = l.postalcode_id)
"""

LINK_SQL = """
INSERT INTO territories_commune_postal_codes (commune_id, postalcode_id)
SELECT t.id, p.id
FROM cog_commune c
JOIN territories_commune t ON t.country = 'FR' AND t.code = c.code
JOIN territories_postalcode p ON p.code = ANY(c.postcodes)
ON CONFLICT DO NOTHING
"""

# Current communes the COG no longer has, with the commune that absorbed them when it says so.
NOT_IN_COG_SQL = """
SELECT t.code, t.name, merged.code, merged.name FROM territories_commune t
LEFT JOIN LATERAL (
    SELECT c.code, c.name FROM cog_commune c WHERE t.code = ANY(c.former) LIMIT 1
) merged ON true
WHERE t.country = 'FR' AND t.valid_to IS NULL
  AND NOT EXISTS (SELECT 1 FROM cog_commune c WHERE c.code = t.code)
ORDER BY t.code
"""


def read_cog(folder: Path) -> dict[str, list[dict]]:
    """The four JSON files of the package's data folder, or ImportFailed saying which."""
    data = {}
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise ImportFailed(
                f"{path}: missing; give the data folder of the npm package {PACKAGE} "
                "(run `npm install`)"
            )
        try:
            data[name] = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ImportFailed(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data[name], list) or not all("code" in x for x in data[name]):
            raise ImportFailed(f"{path}: expected a JSON array of objects with a code")
    return data


def commune_facts(data: dict[str, list[dict]]) -> list[dict]:
    """One row per current commune: population, région, EPCI and postal codes."""
    epci_of = {m["code"]: e["code"] for e in data["epci.json"] for m in e.get("membres", [])}
    return [
        {
            "code": c["code"],
            "name": c.get("nom", ""),
            "region": c.get("region") or "",
            "population": c.get("population"),
            "epci": epci_of.get(c["code"]),
            "postcodes": c.get("codesPostaux", []),
            "former": c.get("anciensCodes", []),
        }
        for c in data["communes.json"]
        if c.get("type") == "commune-actuelle"
    ]


def import_cog(folder: Path | None = None) -> CogSummary:
    """Upsert régions, départements and EPCI; fill in the facts of the communes we have."""
    started = time.monotonic()
    folder = Path(folder) if folder else default_cog_dir()
    if not folder.is_dir():
        raise ImportFailed(f"{folder}: no such folder (run `npm install`, or give the data path)")
    data = read_cog(folder)
    summary = CogSummary()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REGIONS_SQL, [json.dumps(data["regions.json"])])
        summary.regions = cursor.rowcount
        cursor.execute(DEPARTEMENTS_SQL, [json.dumps(data["departements.json"])])
        summary.departements = cursor.rowcount
        epci = [{k: e.get(k) for k in ("code", "nom", "type")} for e in data["epci.json"]]
        cursor.execute(EPCI_SQL, [json.dumps(epci)])
        summary.epci = cursor.rowcount
        cursor.execute(STAGE_SQL, [json.dumps(commune_facts(data))])
        cursor.execute("CREATE INDEX ON cog_commune (code)")
        cursor.execute(COMMUNES_SQL)
        summary.communes = cursor.rowcount
        cursor.execute(POSTAL_CODES_SQL)
        cursor.execute(UNLINK_SQL)
        cursor.execute(LINK_SQL)
        cursor.execute("SELECT count(*) FROM territories_postalcode")
        (summary.postal_codes,) = cursor.fetchone()
        cursor.execute(NOT_IN_COG_SQL)
        for code, name, merged_code, merged_name in cursor.fetchall():
            summary.not_in_cog += 1
            into = f"merged into {merged_code} {merged_name}" if merged_code else "deleted"
            summary.warnings.append(
                f"commune {code} ({name}) is not in the COG any more ({into}): "
                "import newer boundaries to retire it"
            )
        cursor.execute("DROP TABLE cog_commune")
        ImportRun.objects.create(
            kind="cog",
            source=str(folder),
            checksum=sha256_of(folder / "communes.json"),
            counts={k: v for k, v in asdict(summary).items() if k != "warnings"},
            warnings=summary.warnings,
            duration_s=round(time.monotonic() - started, 3),
        )
    return summary
