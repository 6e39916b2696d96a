"""Official datasets declared in ``data/<kind>/*.toml``: where they come from and how to get them.

A dataset file is looked for, in order, in the local download cache, in the offline mirror
(``GEO_CIVIC_DATA_MIRROR``), then downloaded from its URL into the cache. Whatever the origin,
the file must match the checksum declared in the source definition.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from importers.downloads import download
from importers.errors import ImportFailed


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
            raise ImportFailed(f"source {self.name!r} has no dataset {key!r} (known: {known})")
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
        raise ImportFailed(f"unknown {kind} source {name!r} (known: {known})")
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _matches(path: Path, sha256: str) -> bool:
    return path.is_file() and (not sha256 or sha256_of(path) == sha256)


def _download(url: str, target: Path, sha256: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        try:
            download(url, tmp)
        except ImportFailed:
            Path(tmp.name).unlink(missing_ok=True)
            raise
    got = sha256_of(Path(tmp.name))
    if sha256 and got != sha256:
        Path(tmp.name).unlink(missing_ok=True)
        raise ImportFailed(f"checksum mismatch for {url}: expected {sha256}, got {got}")
    Path(tmp.name).replace(target)
    target.with_name(target.name + ".sha256").write_text(f"{got}  {target.name}\n")


def fetch(dataset: Dataset) -> Path:
    """A local path to the dataset's file: cached, mirrored, or freshly downloaded."""
    cached = cache_dir(dataset.source.kind) / dataset.filename
    if _matches(cached, dataset.sha256):
        return cached
    mirror_root = settings.GEO_CIVIC_DATA_MIRROR
    if mirror_root and dataset.mirror:
        mirrored = Path(mirror_root) / dataset.mirror
        if _matches(mirrored, dataset.sha256):
            return mirrored
        if mirrored.is_file():
            raise ImportFailed(f"{mirrored} does not match the checksum in the source definition")
    if not dataset.url:
        raise ImportFailed(
            f"{dataset.source.name}/{dataset.key} is only available from a local mirror: "
            "set GEO_CIVIC_DATA_MIRROR to a folder laid out like shared/data"
        )
    _download(dataset.url, cached, dataset.sha256)
    return cached
