"""Open a user's vector file with GDAL: only the drivers its kind and its name allow, no network.

GDAL picks a driver from a file's content, whatever its name: a ``.geojson`` that is really a
VRT document opens a PostgreSQL connection, a local file or a URL. So every file a user gives is
opened through ``GDALOpenEx`` with an explicit list of drivers (never one that opens another data
source), and read while GDAL's HTTP is switched off for this thread.
"""

from __future__ import annotations

import ctypes
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.gdal.driver import Driver
from django.contrib.gis.gdal.libgdal import lgdal
from django.contrib.gis.gdal.prototypes import ds as capi

from importers.errors import ImportFailed
from importers.gdal_messages import collect_gdal_messages

GEOJSON, TOPOJSON, SHAPEFILE = "GeoJSON", "TopoJSON", "ESRI Shapefile"
GPKG, FLATGEOBUF, CSV = "GPKG", "FlatGeobuf", "CSV"
# Two drivers read KML: LIBKML (fields of ExtendedData) first, else the simpler KML. Neither
# follows a NetworkLink or resolves an external entity; their fetches are refused anyway.
KML = ("LIBKML", "KML")

# What each import reads.
COMMUNE_DRIVERS = (GEOJSON, TOPOJSON, SHAPEFILE, GPKG, FLATGEOBUF, *KML)
ACTOR_DRIVERS = (*COMMUNE_DRIVERS, CSV)

# What a file's name promises; a file whose content is something else is refused.
DRIVERS_BY_SUFFIX = {
    ".geojson": (GEOJSON,),
    ".json": (GEOJSON, TOPOJSON),
    ".topojson": (TOPOJSON,),
    ".shp": (SHAPEFILE,),
    ".gpkg": (GPKG,),
    ".fgb": (FLATGEOBUF,),
    ".kml": KML,
    ".csv": (CSV,),
}
SUFFIXES = tuple(DRIVERS_BY_SUFFIX)

# Named when a file is not what it claims to be: GDALIdentifyDriverEx among these (mostly from the
# first bytes), only once the allowed drivers failed, and with the network off too.
IDENTIFIED = (
    *ACTOR_DRIVERS, "OGR_VRT", "PostgreSQL", "SQLite", "GML", "GPX", "ESRIJSON",
    "GeoJSONSeq", "OGR_GMT", "MBTiles", "OSM", "MVT", "OpenFileGDB", "WFS", "OAPIF",
)  # fmt: skip

# /vsicurl/ and its kin only open names with this extension: a secret no URL can end with.
_NO_CURL_EXTENSION = "." + secrets.token_hex(16)
_NETWORK_OFF = {
    b"CPL_VSIL_CURL_ALLOWED_EXTENSIONS": _NO_CURL_EXTENSION.encode(),
    b"GDAL_HTTP_PROXY": b"127.0.0.1:9",  # the discard port: closed
    b"GDAL_HTTPS_PROXY": b"127.0.0.1:9",
    b"GDAL_HTTP_TIMEOUT": b"1",
    b"GDAL_HTTP_CONNECTTIMEOUT": b"1",
    b"GDAL_HTTP_MAX_RETRY": b"0",
    # Sidecar files are found by name, not by listing the folder (nothing else gets read).
    b"GDAL_DISABLE_READDIR_ON_OPEN": b"EMPTY_DIR",
}


class _HTTPResult(ctypes.Structure):
    """GDAL's CPLHTTPResult, which a fetch callback must return (allocated by GDAL's malloc)."""

    _fields_ = [
        ("nStatus", ctypes.c_int),
        ("pszContentType", ctypes.c_void_p),
        ("pszErrBuf", ctypes.c_void_p),
        ("nDataLen", ctypes.c_int),
        ("nDataAlloc", ctypes.c_int),
        ("pabyData", ctypes.c_void_p),
        ("papszHeaders", ctypes.c_void_p),
        ("nMimePartCount", ctypes.c_int),
        ("pasMimePart", ctypes.c_void_p),
    ]


_FETCH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_void_p,  # CPLHTTPResult*
    ctypes.c_char_p,  # URL
    ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
    ctypes.c_void_p,
)  # fmt: skip
_calloc = lgdal["VSICalloc"]
_calloc.argtypes, _calloc.restype = [ctypes.c_size_t, ctypes.c_size_t], ctypes.c_void_p
_strdup = lgdal["CPLStrdup"]
_strdup.argtypes, _strdup.restype = [ctypes.c_char_p], ctypes.c_void_p
_push_fetch = lgdal["CPLHTTPPushFetchCallback"]
_push_fetch.argtypes, _push_fetch.restype = [_FETCH_CALLBACK, ctypes.c_void_p], ctypes.c_int
_pop_fetch = lgdal["CPLHTTPPopFetchCallback"]
_pop_fetch.argtypes, _pop_fetch.restype = [], ctypes.c_int
_set_config = lgdal["CPLSetThreadLocalConfigOption"]
_set_config.argtypes, _set_config.restype = [ctypes.c_char_p, ctypes.c_char_p], None
_get_config = lgdal["CPLGetThreadLocalConfigOption"]
_get_config.argtypes, _get_config.restype = [ctypes.c_char_p, ctypes.c_char_p], ctypes.c_char_p
_identify = lgdal["GDALIdentifyDriverEx"]
_identify.argtypes = [
    ctypes.c_char_p, ctypes.c_uint, ctypes.POINTER(ctypes.c_char_p), ctypes.c_void_p
]  # fmt: skip
_identify.restype = ctypes.c_void_p
_short_name = lgdal["GDALGetDriverShortName"]
_short_name.argtypes, _short_name.restype = [ctypes.c_void_p], ctypes.c_char_p
_long_name = lgdal["GDALGetDriverLongName"]
_long_name.argtypes, _long_name.restype = [ctypes.c_void_p], ctypes.c_char_p


class NetworkRefused(list):
    """The URLs GDAL asked for while a file was read (and did not get)."""


def _refusing_fetch(asked: NetworkRefused):
    @_FETCH_CALLBACK
    def refuse(url, *_ignored):
        asked.append((url or b"").decode("utf-8", "replace"))
        result = ctypes.cast(_calloc(1, ctypes.sizeof(_HTTPResult)), ctypes.POINTER(_HTTPResult))
        result.contents.nStatus = 7  # CURLE_COULDNT_CONNECT
        result.contents.pszErrBuf = _strdup(b"GeoCivic reads no URL while reading a file")
        return ctypes.cast(result, ctypes.c_void_p).value

    return refuse


@contextmanager
def network_off() -> Iterator[NetworkRefused]:
    """While the block runs, GDAL reaches no network from this thread; yields what it asked.

    CPLHTTPFetch (CRS links, WFS…) gets a refusal from our callback; /vsicurl/ and its kin see
    every name as absent; curl, if reached anyway, goes to a closed proxy with a short timeout.
    """
    asked = NetworkRefused()
    callback = _refusing_fetch(asked)
    previous = {key: _get_config(key, None) for key in _NETWORK_OFF}
    for key, value in _NETWORK_OFF.items():
        _set_config(key, value)
    _push_fetch(callback, None)
    try:
        yield asked
    finally:
        _pop_fetch()
        for key, value in previous.items():
            _set_config(key, value)


def expected_drivers(name: str, allowed: tuple[str, ...], *, folder: bool = False) -> tuple:
    """The drivers a file of this name may be opened with; none when GeoCivic does not read it."""
    if folder:
        return (SHAPEFILE,) if SHAPEFILE in allowed else ()
    suffix = Path(name).suffix.lower()
    if suffix in DRIVERS_BY_SUFFIX:
        return tuple(d for d in DRIVERS_BY_SUFFIX[suffix] if d in allowed)
    # A download cached under its URL's last segment may have no known suffix: its content says.
    return allowed if suffix == "" or not suffix[1:].isalpha() else ()


def _names(drivers) -> ctypes.Array:
    return (ctypes.c_char_p * (len(drivers) + 1))(*[d.encode() for d in drivers], None)


def identify(gdal_name: str) -> tuple[str, str] | None:
    """(short, long) name of the format GDAL recognises in the file's first bytes, if any."""
    driver = _identify(gdal_name.encode(), capi.GDAL_OF_VECTOR, _names(IDENTIFIED), None)
    if not driver:
        return None
    return _short_name(driver).decode(), _long_name(driver).decode()


def _describe(drivers) -> str:
    return " or ".join(drivers)


@contextmanager
def open_vector(
    path: Path, allowed: tuple[str, ...], *, member: str | None = None
) -> Iterator[DataSource]:
    """``path`` (or ``member`` of the zip ``path``) opened with the drivers its name allows.

    The file is read, with the network off, while the ``with`` block runs. A refusal is an
    ImportFailed that names the format the file really is.
    """
    path = Path(path)
    label = f"{path}/{member}" if member else str(path)
    if str(path).lower().startswith("/vsi"):
        raise ImportFailed(f"{path}: GDAL virtual file systems are not read; give a local file")
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    local = path.resolve()  # absolute: GDAL cannot take it for a "PG:" or "CSV:" connection
    gdal_name = f"/vsizip/{local}/{member}" if member else str(local)
    drivers = expected_drivers(member or local.name, allowed, folder=local.is_dir() and not member)
    if not drivers:
        raise ImportFailed(
            f"{label}: not a file type GeoCivic reads here ({', '.join(_suffixes(allowed))})"
        )
    with network_off() as asked, collect_gdal_messages() as gdal_said:
        try:
            pointer = capi.open_ds(
                gdal_name.encode(),
                capi.GDAL_OF_READONLY | capi.GDAL_OF_VECTOR,
                _names(drivers),
                None,
                None,
            )
        except GDALException:
            raise ImportFailed(_not_opened(label, gdal_name, drivers, gdal_said)) from None
        source = DataSource(pointer, capi.get_dataset_driver(pointer))
        _refuse_fetches(label, source, asked)
        yield source
        _refuse_fetches(label, source, asked)


def _not_opened(label: str, gdal_name: str, drivers: tuple, gdal_said: list[str]) -> str:
    found = identify(gdal_name)
    if found and found[0] not in drivers:
        short, long = found
        return f"{label}: the file is {long} ({short}), not {_describe(drivers)}; refused"
    reason = "; ".join(gdal_said[:3]) or f"not a {_describe(drivers)} file GDAL can read"
    return f"{label}: GDAL cannot read it ({reason})"


def _refuse_fetches(label: str, source: DataSource, asked: NetworkRefused) -> None:
    if asked:
        raise ImportFailed(
            f"{label}: this {source.driver} file points to a URL (a CRS link?); GeoCivic fetches "
            "nothing a file points to: refused"
        )


def _suffixes(allowed: tuple[str, ...]) -> list[str]:
    return [s for s, drivers in DRIVERS_BY_SUFFIX.items() if set(drivers) & set(allowed)]


Driver.ensure_registered()
# PROJ never downloads grids for a file's CRS (process-wide; GeoCivic needs none).
lgdal["OSRSetPROJEnableNetwork"](0)
