"""Read a GoGoCarto / Transiscope JSON-LD export (``{"@context": …, "data": [ … ]}``).

The files in the wild are dirty: coordinates as strings, ``taxonomy`` as a list of SKOS concepts
or a plain string, free-text tags, names with trailing spaces, records without ``@id``. Parsing
turns each record into an :class:`ActorRow` or a warning that names it. A field of the wrong
shape (an object where text belongs, a number for the taxonomy) means the file is not what it
claims to be: the import fails on it, naming the record and the field.
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


def load_records(path: Path, *, script: bool = True) -> list[dict]:
    """The records of a JSON file: a list, or an object's ``data`` list. ``script``: also the
    ``var elements = …;`` form GoGoCartoJs ships its example data in."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from None
    if script:
        text = JS_WRAPPER.sub("", text, count=1).rstrip().removesuffix(";")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise ImportFailed(f"{path}: invalid JSON ({exc})") from None
    except RecursionError:
        raise ImportFailed(f"{path}: invalid JSON (nested too deeply)") from None
    records = document.get("data") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise ImportFailed(f"{path}: expected a list of records or an object with a 'data' list")
    return records


def _coordinate(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


SHAPES = {dict: "an object", list: "a list", str: "a text", int: "a number", float: "a number",
          bool: "a boolean"}  # fmt: skip


def _shape(value) -> str:
    """What a JSON value is, in the words of an error message."""
    return SHAPES.get(type(value), type(value).__name__)


def text_field(record: dict, key: str, where: str) -> str:
    """The text of ``record[key]``: a string or a number; missing or null is empty."""
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise ImportFailed(f"{where}: {key!r} should be a text, not {_shape(value)}")
    return str(value)


def list_field(record: dict, key: str, where: str) -> list:
    """The list ``record[key]``; missing or null is empty."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFailed(f"{where}: {key!r} should be a list, not {_shape(value)}")
    return value


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _concepts(record: dict, where: str) -> list[str]:
    """The ``@id`` of each SKOS concept of ``taxonomy`` (a list; other entries are ignored)."""
    concepts = [c for c in list_field(record, "taxonomy", where) if isinstance(c, dict)]
    return [text_field(c, "@id", f"{where}, taxonomy").strip() for c in concepts]


def _tags(record: dict, where: str) -> list[str]:
    tags: list[str] = []
    if isinstance(record.get("taxonomy"), str):
        tags += _split(record["taxonomy"])
    else:
        tags += _concepts(record, where)
    if isinstance(record.get("tags"), str):
        tags += _split(record["tags"])
    return list(dict.fromkeys(t[:100] for t in tags if t))


def _categories(record: dict, where: str) -> list[tuple[str, str]]:
    """The SKOS concepts of ``taxonomy`` (a list): a flat category tree; free text stays tags."""
    if not isinstance(record.get("taxonomy"), list):
        return []
    return [(i[:100], "") for i in dict.fromkeys(_concepts(record, where)) if i]


def _summary(record: dict, where: str) -> str:
    label = record.get("label")
    if isinstance(label, dict):
        return text_field(label, "@value", f"{where}, label").strip()
    return text_field(record, "label", where).strip()


def _website(value) -> str:
    url = str(value or "").strip()
    if url and not url.lower().startswith(("http://", "https://")):
        url = "http://" + url
    return url[:500]


def _source_id(record: dict, name: str, lon: float, lat: float, where: str) -> str:
    if record.get("@id"):
        return text_field(record, "@id", where)[:200]
    digest = hashlib.sha1(f"{name}|{lon:.6f}|{lat:.6f}".encode()).hexdigest()[:16]
    return f"sha1:{digest}"


def read_gogocarto(path: Path, *, kind: str = "organisation") -> tuple[list[ActorRow], list[str]]:
    """Parse the file into actor rows and warnings for the records that cannot be used."""
    rows: list[ActorRow] = []
    warnings: list[str] = []
    for index, record in enumerate(load_records(Path(path)), start=1):
        if not isinstance(record, dict):
            warnings.append(f"record {index}: not an object, skipped")
            continue
        where = f"{path}: record {index}"
        name = " ".join(text_field(record, "name", where).split())
        label = name or unquote(text_field(record, "@id", where) or f"record {index}")
        lat, lon = _coordinate(record.get("lat")), _coordinate(record.get("long"))
        if not name:
            warnings.append(f"{label}: no name, skipped")
            continue
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            warnings.append(f"{label}: missing or invalid coordinates, skipped")
            continue
        rows.append(
            ActorRow(
                source_id=_source_id(record, name, lon, lat, where),
                kind=kind,
                name=name[:200],
                summary=_summary(record, where)[:2000],
                lon=lon,
                lat=lat,
                tags=_tags(record, where),
                categories=_categories(record, where),
                website=_website(text_field(record, "site", where)),
            )
        )
    return rows, warnings
