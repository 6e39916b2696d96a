"""The catalogue of official datasets, ``data/<kind>/*.toml``: what each source is and holds.

Shared metadata, owned by neither side: importers read it to fetch files, layers to credit them.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


class SourceError(LookupError):
    """An unknown source or dataset; the message lists the known ones."""


@dataclass(frozen=True)
class Dataset:
    """One downloadable file of a source (for example the communes of one département)."""

    source: Source
    key: str
    url: str
    sha256: str
    mirror: str

    @property
    def filename(self) -> str:
        name = self.url.rsplit("/", 1)[-1] if self.url else Path(self.mirror).name
        return re.sub(r"[^A-Za-z0-9._-]", "_", f"{self.source.name}-{self.key}-{name}")


@dataclass(frozen=True)
class Source:
    """A source definition file, such as ``data/communes/france-geojson.toml``."""

    kind: str
    name: str
    title: str
    format: str
    licence: str
    attribution: str
    fields: dict[str, str] = field(default_factory=dict)
    datasets: dict[str, dict] = field(default_factory=dict)
    url_template: str = ""
    # True when any key fills the URL template (e.g. any département code for an API).
    open_datasets: bool = False

    def dataset(self, key: str) -> Dataset:
        if key not in self.datasets and self.open_datasets and self.url_template:
            return Dataset(self, key, self.url_template.format(key=key), "", "")
        if key not in self.datasets:
            known = ", ".join(sorted(self.datasets))
            raise SourceError(f"source {self.name!r} has no dataset {key!r} (known: {known})")
        entry = self.datasets[key]
        url = entry.get("url") or (
            self.url_template.format(key=key, **entry) if self.url_template else ""
        )
        return Dataset(self, key, url, entry.get("sha256", ""), entry.get("mirror", ""))


def url_dataset(kind: str, url: str) -> Dataset:
    """A file given by its URL alone: downloaded once into the cache, its checksum recorded."""
    source = Source(kind=kind, name="url", title=url, format="", licence="", attribution="")
    return Dataset(source, hashlib.sha256(url.encode()).hexdigest()[:12], url, "", "")


def sources_dir(kind: str) -> Path:
    return Path(settings.GEO_CIVIC_SOURCES_DIR) / kind


def cache_dir(kind: str) -> Path:
    return sources_dir(kind) / "cache"


def load_source(kind: str, name: str) -> Source:
    """Read ``data/<kind>/<name>.toml``; an unknown name lists the known ones."""
    path = sources_dir(kind) / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in sources_dir(kind).glob("*.toml")))
        raise SourceError(f"unknown {kind} source {name!r} (known: {known})")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Source(
        kind=kind,
        name=data["name"],
        title=data.get("title", name),
        format=data.get("format", ""),
        licence=data.get("licence", ""),
        attribution=data.get("attribution", ""),
        fields=data.get("fields", {}),
        datasets=data.get("datasets", {}),
        url_template=data.get("url_template", ""),
        open_datasets=data.get("open_datasets", False),
    )
