"""Receive a file a data steward uploads, safely, before any importer or GDAL looks at it.

An upload is capped while it streams to a temporary file (not only by its Content-Length), and a
zip archive is unpacked by us, not read by GDAL through ``/vsizip/``: every member is checked
(no path outside the folder, no link, no nested archive) and the bytes actually inflated are
counted, so a decompression bomb is refused however its headers lie.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from importers.errors import ImportFailed

# Defaults; settings.GEO_CIVIC_UPLOAD_* override them.
MAX_UPLOAD_BYTES = 512 * 1024**2
MAX_UNZIPPED_BYTES = 2 * 1024**3
# Inflating more than this many times the archive's size is a bomb (Shapefiles: 2–20 times)…
MAX_ZIP_RATIO = 200
# … once the archive inflates to more than this (small archives cannot hurt).
RATIO_FLOOR_BYTES = 10 * 1024**2
MAX_ZIP_MEMBERS = 1000
# What GDAL or our readers open; anything else in an upload is refused.
VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb", ".kml", ".topojson", ".csv")
SIDECAR_SUFFIXES = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".txt")
ARCHIVE_SUFFIXES = (".zip",)
CHUNK = 1024 * 1024


class UploadRefused(ImportFailed):
    """A refusal with the HTTP status that says why (413: too large, 400: anything else)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def max_upload_bytes() -> int:
    return getattr(settings, "GEO_CIVIC_UPLOAD_MAX_BYTES", MAX_UPLOAD_BYTES)


def max_unzipped_bytes() -> int:
    return getattr(settings, "GEO_CIVIC_UPLOAD_MAX_UNZIPPED_BYTES", MAX_UNZIPPED_BYTES)


def too_large(size: int) -> UploadRefused:
    cap = max_upload_bytes()
    return UploadRefused(f"upload of {size} bytes refused: at most {cap} bytes", status=413)


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Stream each uploaded file to disk, and stop as soon as all of them exceed the cap."""

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            raise too_large(self.received)
        return super().receive_data_chunk(raw_data, start)


SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A plain file name: no folder, no leading dot, nothing a shell or GDAL would interpret."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = SAFE_NAME.sub("_", base).lstrip(".")
    if not cleaned or len(cleaned) > 150:
        raise UploadRefused(f"file name {name[:80]!r} refused")
    return cleaned


def save_uploads(files: list, folder: Path) -> list[Path]:
    """Write the uploaded files into ``folder`` (empty); refuse kinds of file we never read."""
    saved = []
    for upload in files:
        name = safe_name(upload.name or "")
        if not name.lower().endswith(VECTOR_SUFFIXES + SIDECAR_SUFFIXES + ARCHIVE_SUFFIXES):
            raise UploadRefused(
                f"{name}: not a file type GeoCivic imports (zip, shp and its parts, gpkg, "
                "geojson, json, fgb, kml, topojson, csv)"
            )
        target = folder / name
        if target.exists():
            raise UploadRefused(f"{name}: uploaded twice")
        with target.open("wb") as out:
            for chunk in upload.chunks(CHUNK):
                out.write(chunk)
        saved.append(target)
    return saved


def unpack_zip(archive: Path, folder: Path) -> None:
    """Extract ``archive`` into ``folder``, refusing anything unsafe before and while inflating."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            _check_members(archive, members)
            budget = max_unzipped_bytes()
            ratio_limit = max(RATIO_FLOOR_BYTES, MAX_ZIP_RATIO * archive.stat().st_size)
            limit = min(budget, ratio_limit)
            declared = sum(m.file_size for m in members)
            if declared > limit:
                raise _bomb(archive, declared, budget)
            written = 0
            for member in members:
                if member.is_dir():
                    continue
                target = folder / PurePosixPath(member.filename)
                target.parent.mkdir(parents=True, exist_ok=True)
                # The declared sizes may lie: count what actually comes out.
                with zipped.open(member) as source, target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > limit:
                            raise _bomb(archive, written, budget)
                        out.write(chunk)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise UploadRefused(f"{archive.name}: not a readable zip archive ({exc})") from None
    except (OSError, RuntimeError) as exc:  # zlib errors, encrypted members
        raise UploadRefused(f"{archive.name}: damaged zip archive ({exc})") from None


def _bomb(archive: Path, size: int, budget: int) -> UploadRefused:
    return UploadRefused(
        f"{archive.name}: inflates to more than {size} bytes (at most {budget} bytes, and "
        f"{MAX_ZIP_RATIO} times its size): refused as a decompression bomb",
        status=413,
    )


def _check_members(archive: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadRefused(f"{archive.name}: more than {MAX_ZIP_MEMBERS} members; refused")
    for member in members:
        name = member.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in name or "\x00" in name:
            raise UploadRefused(f"{archive.name}: member {name!r} points outside the archive")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise UploadRefused(f"{archive.name}: member {name!r} is a symbolic link; refused")
        if not member.is_dir() and pure.suffix.lower() in (".zip", ".kmz", ".gz", ".7z", ".tar"):
            raise UploadRefused(f"{archive.name}: member {name!r} is an archive in the archive")
        if member.flag_bits & 0x1:
            raise UploadRefused(f"{archive.name}: member {name!r} is encrypted")


def main_file(folder: Path, layer: str | None = None) -> Path:
    """The one vector file of an upload (zip archives unpacked first); ``layer`` picks by name."""
    for archive in sorted(folder.glob("*.zip")):
        unpack_zip(archive, folder / (archive.stem + ".unzipped"))
        archive.unlink()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and not _is_clutter(p.relative_to(folder))
    )
    vectors = [p for p in files if p.suffix.lower() in VECTOR_SUFFIXES]
    if layer:
        vectors = [p for p in vectors if p.stem == layer] or vectors
    if not vectors:
        names = ", ".join(p.name for p in files) or "nothing"
        raise UploadRefused(f"the upload holds no vector file ({names})")
    if len(vectors) > 1:
        raise UploadRefused(
            "the upload holds several vector files, name one with layer: "
            + ", ".join(p.stem for p in vectors)
        )
    return vectors[0]


def _is_clutter(relative: Path) -> bool:
    """What macOS adds to the zips it makes (``__MACOSX/``, ``._name``): not the steward's data."""
    return "__MACOSX" in relative.parts or relative.name.startswith("._")


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
