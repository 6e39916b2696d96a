"""Read a Transiscope export: a JSON array of records (Près de chez nous / Transiscope API shape).

``location: {lat, lon}`` (also under ``address.location``), ``address{street, postalCode, city}``
with empty parts and city names in inconsistent case, ``categories`` as a two-level list whose
``parent`` is a string id. Categories become tags; e-mail and phone are kept private.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.html import strip_tags

from importers.actors import ActorRow
from importers.gogocarto import _coordinate, _website, list_field, load_records, text_field


def _location(record: dict) -> tuple[float | None, float | None]:
    for holder in (record, record.get("address") or {}):
        location = holder.get("location") if isinstance(holder, dict) else None
        if isinstance(location, dict):
            lat, lon = _coordinate(location.get("lat")), _coordinate(location.get("lon"))
            if lat is not None and lon is not None and (lat, lon) != (0, 0):
                return lon, lat
    return None, None


def _plain(value) -> str:
    """Summaries carry HTML (``<br>``): plain text, one line break per ``<br>``."""
    text = re.sub(r"<br\s*/?>", "\n", str(value or ""), flags=re.IGNORECASE)
    return "\n".join(line.strip() for line in strip_tags(text).splitlines() if line.strip())


def _address(address: dict, where: str) -> tuple[str, str, str]:
    street = " ".join(text_field(address, "street", where).split())
    postcode = text_field(address, "postalCode", where).strip()
    city = " ".join(text_field(address, "city", where).split())
    line = ", ".join(p for p in (street, " ".join(p for p in (postcode, city) if p)) if p)
    return line[:300], postcode, city


def _category_names(concepts: dict[int, list[dict]], path: Path) -> dict[str, str]:
    """Category id -> name, over the whole file: a record names its parent by id only."""
    names: dict[str, str] = {}
    for index, listed in concepts.items():
        where = f"{path}: record {index}, categories"
        for concept in listed:
            key = text_field(concept, "id", where)
            name = text_field(concept, "name", where).strip()
            if key and name:
                names[key] = name
    return names


def read_transiscope(path: Path, *, kind: str = "organisation") -> tuple[list[ActorRow], list[str]]:
    """Parse the file into actor rows and warnings for the records that cannot be used."""
    rows: list[ActorRow] = []
    warnings: list[str] = []
    records = load_records(Path(path))
    concepts = {
        index: [c for c in list_field(r, "categories", f"{path}: record {index}")
                if isinstance(c, dict)]
        for index, r in enumerate(records, start=1) if isinstance(r, dict)
    }  # fmt: skip
    names = _category_names(concepts, path)
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            warnings.append(f"record {index}: not an object, skipped")
            continue
        where = f"{path}: record {index}"
        name = " ".join(text_field(record, "title", where).split())
        if not name:
            label = text_field(record, "id", where) or f"record {index}"
            warnings.append(f"{label}: no name, skipped")
            continue
        lon, lat = _location(record)
        address = record.get("address") if isinstance(record.get("address"), dict) else {}
        line, postcode, city = _address(address, f"{where}, address")
        tree = [
            (
                text_field(c, "name", f"{where}, categories").strip()[:100],
                names.get(text_field(c, "parent", f"{where}, categories"), "")[:100],
            )
            for c in concepts[index]
            if c.get("name")
        ]
        categories = [name for name, _ in tree]
        description = "\n\n".join(
            text_field(record, k, where).strip()
            for k in ("description", "commitment")
            if record.get(k)
        )
        source_id = (
            text_field(record, "id", where) or text_field(record, "url", where) or f"record-{index}"
        )
        rows.append(
            ActorRow(
                source_id=source_id[:200],
                kind=kind,
                name=name[:200],
                summary=_plain(text_field(record, "summary", where))[:2000],
                description=description[:20000],
                lon=lon,
                lat=lat,
                address=line,
                postcode=postcode,
                city=city,
                tags=list(dict.fromkeys(categories)),
                categories=list(dict.fromkeys(tree)),
                website=_website(text_field(record, "website", where)),
                email=text_field(record, "email", where).strip()[:254],
                phone=text_field(record, "telephone", where).strip()[:25],
            )
        )
    return rows, warnings
