"""The directory formats ``import_actors`` reads, and the import of one file end to end."""

from __future__ import annotations

from pathlib import Path

from geo_civic.geocoding.chain import GeocoderChain
from importers.actor_csv import read_csv, read_json_records
from importers.actor_geojson import read_geojson
from importers.actor_mapping import FieldMapping
from importers.actors import ActorImportSummary, ActorRow, RowGeocoder, upsert_actors
from importers.datasets import sha256_of
from importers.errors import ImportFailed
from importers.gogocarto import read_gogocarto
from importers.transiscope import read_transiscope

# Formats whose fields are fixed, and formats of free tables read through a FieldMapping.
FIXED = {"gogocarto": read_gogocarto, "transiscope": read_transiscope}
MAPPED = {"csv": read_csv, "json": read_json_records, "geojson": read_geojson}
FORMATS = sorted({*FIXED, *MAPPED})


def read_actors(
    path: Path, fmt: str, *, kind: str, mapping: FieldMapping | None = None
) -> tuple[list[ActorRow], list[str]]:
    if fmt in FIXED:
        if mapping is not None and mapping.columns:
            raise ImportFailed(f"the {fmt} format has fixed fields: no field mapping")
        return FIXED[fmt](path, kind=kind)
    if fmt in MAPPED:
        return MAPPED[fmt](path, kind=kind, mapping=mapping)
    raise ImportFailed(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def row_geocoder(chain: GeocoderChain) -> RowGeocoder:
    """Geocode a row from its address, postal code and city, else its INSEE code."""

    def geocode(row: ActorRow) -> tuple[float, float] | None:
        place = " ".join(p for p in (row.postcode, row.city) if p and p not in row.address)
        query = ", ".join(p for p in (row.address, place) if p) or row.citycode
        found = chain.geocode(query)
        return (found.lon, found.lat) if found else None

    return geocode


def import_actor_file(
    path: Path,
    fmt: str,
    *,
    source_key: str,
    kind: str = "organisation",
    mapping: FieldMapping | None = None,
    dry_run: bool = False,
    geocoders: list[str] | None = None,
) -> ActorImportSummary:
    """Read, geocode what has an address but no point, and upsert: all or nothing."""
    rows, warnings = read_actors(Path(path), fmt, kind=kind, mapping=mapping)
    needs_geocoding = any(r.lon is None or r.lat is None for r in rows)
    geocoder = row_geocoder(GeocoderChain(geocoders)) if needs_geocoding else None
    run = {
        "source": str(path),
        "checksum": sha256_of(Path(path)) if Path(path).is_file() else "",
        "options": {"format": fmt, "kind": kind, "mapping": mapping.columns if mapping else {}},
    }
    return upsert_actors(
        rows,
        source_key=source_key,
        warnings=warnings,
        dry_run=dry_run,
        geocoder=geocoder,
        run=run,
    )
