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
from importers.gogocarto import _coordinate, _load, _website


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


def _address(address: dict) -> tuple[str, str, str]:
    street = " ".join(str(address.get("street") or "").split())
    postcode = str(address.get("postalCode") or "").strip()
    city = " ".join(str(address.get("city") or "").split())
    line = ", ".join(p for p in (street, " ".join(p for p in (postcode, city) if p)) if p)
    return line[:300], postcode, city


def read_transiscope(path: Path, *, kind: str = "organisation") -> tuple[list[ActorRow], list[str]]:
    """Parse the file into actor rows and warnings for the records that cannot be used."""
    rows: list[ActorRow] = []
    warnings: list[str] = []
    records = _load(Path(path))
    names = {
        str(c.get("id")): str(c.get("name")).strip()
        for r in records if isinstance(r, dict)
        for c in r.get("categories") or [] if isinstance(c, dict) and c.get("name")
    }  # fmt: skip
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            warnings.append(f"record {index}: not an object, skipped")
            continue
        name = " ".join(str(record.get("title") or "").split())
        if not name:
            warnings.append(f"{record.get('id') or f'record {index}'}: no name, skipped")
            continue
        lon, lat = _location(record)
        address = record.get("address") if isinstance(record.get("address"), dict) else {}
        line, postcode, city = _address(address)
        tree = [
            (str(c.get("name")).strip()[:100], names.get(str(c.get("parent") or ""), "")[:100])
            for c in record.get("categories") or []
            if isinstance(c, dict) and c.get("name")
        ]
        categories = [name for name, _ in tree]
        description = "\n\n".join(
            str(record.get(k)).strip() for k in ("description", "commitment") if record.get(k)
        )
        rows.append(
            ActorRow(
                source_id=str(record.get("id") or record.get("url") or f"record-{index}")[:200],
                kind=kind,
                name=name[:200],
                summary=_plain(record.get("summary"))[:2000],
                description=description[:20000],
                lon=lon,
                lat=lat,
                address=line,
                postcode=postcode,
                city=city,
                tags=list(dict.fromkeys(categories)),
                categories=list(dict.fromkeys(tree)),
                website=_website(record.get("website")),
                email=str(record.get("email") or "").strip()[:254],
                phone=str(record.get("telephone") or "").strip()[:25],
            )
        )
    return rows, warnings
