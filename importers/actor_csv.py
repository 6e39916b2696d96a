"""Read tables of actors: CSV files, and JSON arrays of flat records (a CSV turned to JSON).

The columns are found by :class:`~importers.actor_mapping.FieldMapping`. Real files are dirty:
coordinates as text with a decimal comma, ``null`` coordinates, postal codes stored as numbers
(leading zero lost), multi-line addresses, and latin-1 bytes left as ``<e9>`` by a CSV round-trip.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections.abc import Iterable
from pathlib import Path

from importers.actor_mapping import FieldMapping
from importers.actors import ActorRow
from importers.errors import ImportFailed
from importers.gogocarto import _website, load_records

LATIN1_ESCAPE = re.compile(r"<([0-9a-fA-F]{2})>")


def clean_text(value) -> str:
    """One line of text: ``<e9>`` escapes decoded, line breaks and runs of spaces made one space."""
    if value is None:
        return ""
    text = LATIN1_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]).decode("latin-1"), str(value))
    return ", ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def coordinate(value) -> float | None:
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def postcode(value) -> str:
    """French postal codes have five digits: ``1100`` (a number in the file) is ``01100``."""
    text = clean_text(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text


def rows_from_records(
    records: Iterable[dict], mapping: FieldMapping, *, kind: str, columns: list[str]
) -> tuple[list[ActorRow], list[str]]:
    """Actor rows from flat records; records that cannot be used become warnings naming them."""
    col = mapping.resolve(columns)
    rows: list[ActorRow] = []
    warnings: list[str] = []

    def get(record: dict, name: str) -> str:
        return clean_text(record.get(col[name])) if name in col else ""

    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            warnings.append(f"record {index}: not an object")
            continue
        name = get(record, "name")
        if not name:
            warnings.append(f"record {index}: no name")
            continue
        lat = coordinate(record.get(col["lat"])) if "lat" in col else None
        lon = coordinate(record.get(col["lon"])) if "lon" in col else None
        if lat is not None and lon is not None:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                warnings.append(f"{name}: coordinates out of range ({lat}, {lon})")
                continue
            if (lat, lon) == (0, 0):
                lat = lon = None  # "no coordinates" written as zeros
        else:
            lat = lon = None
        source_id = get(record, "id")
        if not source_id:
            basis = f"{name}|{get(record, 'address')}|{lat}|{lon}"
            source_id = "sha1:" + hashlib.sha1(basis.encode()).hexdigest()[:16]
        tags = re.split(r"[,;|]", get(record, "tags"))
        rows.append(
            ActorRow(
                source_id=source_id[:200],
                kind=kind,
                name=name[:200],
                lon=lon,
                lat=lat,
                summary=get(record, "summary")[:2000],
                description=str(record.get(col["description"]) or "")[:20000]
                if "description" in col
                else "",
                address=get(record, "address")[:300],
                postcode=postcode(record.get(col["postcode"])) if "postcode" in col else "",
                city=get(record, "city")[:100],
                citycode=get(record, "citycode")[:10],
                tags=list(dict.fromkeys(t.strip()[:100] for t in tags if t.strip())),
                website=_website(get(record, "website")),
                email=get(record, "email")[:254],
                phone=get(record, "phone")[:25],
            )
        )
    return rows, warnings


def read_csv(
    path: Path, *, kind: str = "organisation", mapping: FieldMapping | None = None
) -> tuple[list[ActorRow], list[str]]:
    """A CSV file with a header line; the delimiter (``,`` ``;`` tab) is guessed."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFailed(f"{path}: a NUL character at line {line}: not a text file")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(keepends=True), dialect=dialect)
    if not reader.fieldnames:
        raise ImportFailed(f"{path}: empty file, no header line")
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFailed(f"{path}: unreadable CSV at line {reader.line_num} ({exc})") from None
    return rows_from_records(
        records, mapping or FieldMapping(), kind=kind, columns=list(reader.fieldnames)
    )


def read_json_records(
    path: Path, *, kind: str = "organisation", mapping: FieldMapping | None = None
) -> tuple[list[ActorRow], list[str]]:
    """A JSON array of flat objects (or ``{"data": [...]}``), such as ANCT's ``cnfs.json``."""
    records = load_records(Path(path), script=False)
    columns = list(dict.fromkeys(k for r in records if isinstance(r, dict) for k in r))
    return rows_from_records(records, mapping or FieldMapping(), kind=kind, columns=columns)
