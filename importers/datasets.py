"""Getting the file of a dataset declared in ``data/<kind>/*.toml`` (``geo_civic.sources``).

A dataset file is looked for, in order, in the local download cache, in the offline mirror
(``GEO_CIVIC_DATA_MIRROR``), then downloaded from its URL into the cache. Whatever the origin,
the file must match the checksum declared in the source definition.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.conf import settings

from geo_civic.sources.catalogue import Dataset, cache_dir
from importers.downloads import download
from importers.errors import ImportFailed


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
