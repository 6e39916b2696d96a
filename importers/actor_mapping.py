"""Which column of a table of records holds which actor field.

Defaults recognise the usual names (``lat``/``latitude``, ``nom``/``name``…); a mapping file
(TOML: ``[fields] name = "raison_sociale"``) or command options override them field by field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from importers.errors import ImportFailed, option

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant", "source_id", "uid", "@id"),
    "name": ("name", "nom", "title", "titre", "raison_sociale", "label"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "long", "lng", "longitude", "x"),
    "address": ("address", "adresse", "street", "rue"),
    "postcode": ("postcode", "code_postal", "postalcode", "cp"),
    "city": ("city", "commune", "ville"),
    "citycode": ("citycode", "insee", "code_insee", "insee_com"),
    "summary": ("summary", "resume", "résumé", "description_courte"),
    "description": ("description",),
    "website": ("website", "site", "site_web", "url"),
    "email": ("email", "e-mail", "courriel", "mail"),
    "phone": ("phone", "telephone", "téléphone", "tel"),
    "tags": ("tags", "mots_cles", "categories", "catégories"),
}
FIELDS = tuple(DEFAULT_COLUMNS)


def read_mapping_file(path: Path) -> dict[str, str]:
    """The ``[fields]`` table of a TOML file (or its top level): field = "column name"."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such mapping file") from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ImportFailed(f"{path}: invalid TOML ({exc})") from None
    except RecursionError:
        raise ImportFailed(f"{path}: invalid TOML (nested too deeply)") from None
    fields = data.get("fields", data)
    if not isinstance(fields, dict):
        shown = repr(fields)[:60]
        raise ImportFailed(f'{path}: [fields] should be a table of field = "column", not {shown}')
    for name, column in fields.items():
        if not isinstance(column, str) or not column:
            shown = repr(column)[:60]
            raise ImportFailed(f"{path}: {name} should be a column name in quotes, not {shown}")
    return fields


@dataclass
class FieldMapping:
    """Explicit column names per actor field; unset fields fall back to the defaults."""

    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_file(
        cls, path: Path | None, base: dict[str, str] | None = None, **overrides: str | None
    ) -> FieldMapping:
        """``base`` (a source definition's fields), then the file, then the overrides."""
        columns: dict[str, str] = dict(base or {})
        if path is not None:
            columns.update(read_mapping_file(Path(path)))
        columns.update({k: v for k, v in overrides.items() if v})
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise ImportFailed(
                f"unknown field(s) in mapping: {', '.join(unknown)} (known: {', '.join(FIELDS)})"
            )
        return cls({k: str(v) for k, v in columns.items()})

    def resolve(self, available: list[str]) -> dict[str, str]:
        """field -> column present in the data; a named column that is absent is an error."""
        by_lower = {c.lower(): c for c in available}
        resolved: dict[str, str] = {}
        for name in FIELDS:
            if name in self.columns:
                column = self.columns[name]
                if column not in available:
                    raise ImportFailed(
                        f"column {column!r} (for {name}) is not in the file "
                        f"(columns: {', '.join(available[:30])})"
                    )
                resolved[name] = column
                continue
            for candidate in DEFAULT_COLUMNS[name]:
                if candidate in by_lower:
                    resolved[name] = by_lower[candidate]
                    break
        if "name" not in resolved:
            raise ImportFailed(f"no name column: give {option('name_field')} (or a mapping file)")
        return resolved
