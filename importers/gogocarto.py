"""Read a GoGoCarto / Transiscope JSON-LD export (``{"@context": …, "data": [ … ]}``).

The files in the wild are dirty: coordinates as strings, ``taxonomy`` as a list of SKOS concepts
or a plain string, free-text tags, names with trailing spaces, records without ``@id``. Parsing
turns each record into an :class:`ActorRow` or a warning that names it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from urllib.parse import unquote

from importers.actors import ActorRow
from importers.errors import ImportFailed

JS_WRAPPER = re.compile(r"^\s*(?:var|let|const)\s+\w+\s*=\s*", re.ASCII)


def _load(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    # GoGoCartoJs ships its example data as `var elements = {…}`: accept that too.
    text = JS_WRAPPER.sub("", text, count=1).rstrip().removesuffix(";")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})") from None
    records = document.get("data") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise ImportFailed(f"{path}: expected a list of records or an object with a 'data' list")
    return records


def _coordinate(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _tags(record: dict) -> list[str]:
    tags: list[str] = []
    taxonomy = record.get("taxonomy") or []
    if isinstance(taxonomy, str):
        tags += _split(taxonomy)
    else:
        tags += [c.get("@id", "").strip() for c in taxonomy if isinstance(c, dict)]
    if isinstance(record.get("tags"), str):
        tags += _split(record["tags"])
    return list(dict.fromkeys(t[:100] for t in tags if t))


def _categories(record: dict) -> list[tuple[str, str]]:
    """The SKOS concepts of ``taxonomy`` (a list): a flat category tree; free text stays tags."""
    taxonomy = record.get("taxonomy")
    if not isinstance(taxonomy, list):
        return []
    ids = [str(c.get("@id") or "").strip() for c in taxonomy if isinstance(c, dict)]
    return [(i[:100], "") for i in dict.fromkeys(ids) if i]


def _summary(record: dict) -> str:
    label = record.get("label")
    if isinstance(label, dict):
        return str(label.get("@value") or "").strip()
    return str(label or "").strip()


def _website(value) -> str:
    url = str(value or "").strip()
    if url and not url.lower().startswith(("http://", "https://")):
        url = "http://" + url
    return url[:500]


def _source_id(record: dict, name: str, lon: float, lat: float) -> str:
    if record.get("@id"):
        return str(record["@id"])[:200]
    digest = hashlib.sha1(f"{name}|{lon:.6f}|{lat:.6f}".encode()).hexdigest()[:16]
    return f"sha1:{digest}"


def read_gogocarto(path: Path, *, kind: str = "organisation") -> tuple[list[ActorRow], list[str]]:
    """Parse the file into actor rows and warnings for the records that cannot be used."""
    rows: list[ActorRow] = []
    warnings: list[str] = []
    for index, record in enumerate(_load(Path(path)), start=1):
        if not isinstance(record, dict):
            warnings.append(f"record {index}: not an object, skipped")
            continue
        name = " ".join(str(record.get("name") or "").split())
        label = name or unquote(str(record.get("@id") or f"record {index}"))
        lat, lon = _coordinate(record.get("lat")), _coordinate(record.get("long"))
        if not name:
            warnings.append(f"{label}: no name, skipped")
            continue
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            warnings.append(f"{label}: missing or invalid coordinates, skipped")
            continue
        rows.append(
            ActorRow(
                source_id=_source_id(record, name, lon, lat),
                kind=kind,
                name=name[:200],
                summary=_summary(record)[:2000],
                lon=lon,
                lat=lat,
                tags=_tags(record),
                categories=_categories(record),
                website=_website(record.get("site")),
            )
        )
    return rows, warnings
