"""Commune file schemas declared in ``data/communes/*.toml``: which field holds what.

A schema maps roles (code, name, population, departement, region, country) to the field names
a publisher uses; a role may list several names (editions differ). ``recognise`` picks the
schema whose fields a file has, so ``--source auto`` needs no flags for known publishers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from geo_civic.sources import catalogue
from importers.errors import ImportFailed

ROLES = ("code", "name", "population", "departement", "region", "country")
REQUIRED = ("code", "name")


@dataclass(frozen=True)
class Schema:
    name: str
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Only features whose field equals the value are communes (e.g. OSM admin_level = 8).
    filter: dict[str, str] = field(default_factory=dict)

    def field_for(self, role: str, available: list[str]) -> str | None:
        """The file's name for ``role``, matched case-insensitively, or None."""
        by_lower = {name.lower(): name for name in available}
        for candidate in self.fields.get(role, ()):
            if candidate.lower() in by_lower:
                return by_lower[candidate.lower()]
        return None

    def score(self, available: list[str]) -> tuple[int, int] | None:
        """(fields matched, fields missing) when the file has every required field."""
        if any(self.field_for(role, available) is None for role in REQUIRED):
            return None
        matched = sum(self.field_for(role, available) is not None for role in self.fields)
        return matched, len(self.fields) - matched


def _schema_from(data: dict) -> Schema:
    fields = {}
    for role, names in data.get("fields", {}).items():
        if role not in ROLES:
            raise ImportFailed(f"schema {data['name']!r}: unknown role {role!r} in [fields]")
        fields[role] = (names,) if isinstance(names, str) else tuple(names)
    return Schema(data["name"], fields, {k: str(v) for k, v in data.get("filter", {}).items()})


def all_schemas() -> list[Schema]:
    folder = catalogue.sources_dir("communes")
    return [
        _schema_from(tomllib.loads(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.toml"))
    ]


def schema_named(name: str) -> Schema:
    schemas = {schema.name: schema for schema in all_schemas()}
    if name not in schemas:
        raise ImportFailed(
            f"unknown commune source {name!r} (known: auto, {', '.join(sorted(schemas))})"
        )
    return schemas[name]


def recognise(available: list[str]) -> Schema | None:
    """The schema that fits the file's fields best: most fields matched, then fewest missing."""
    scored = [(schema.score(available), schema) for schema in all_schemas()]
    fitting = [(score, schema) for score, schema in scored if score is not None]
    if not fitting:
        return None
    return max(fitting, key=lambda item: (item[0][0], -item[0][1]))[1]
