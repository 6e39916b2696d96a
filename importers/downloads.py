"""Download a dataset's URL without letting it reach into our own network.

A URL comes from a source definition or a command line, and a server may redirect anywhere: so
every host is resolved and each of its addresses must be public (not private, loopback,
link-local…) before we connect, to the address we checked, at the first request and after every
redirect. The body is capped in size and in time. ``GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE`` opens
loopback and private addresses for tests that serve datasets on loopback (refused in production).
"""

from __future__ import annotations

import http.client
import time
import urllib.error
from typing import BinaryIO

from django.conf import settings

from geo_civic.outbound import public_addresses
from importers.errors import ImportFailed

# Defaults; settings.GEO_CIVIC_DOWNLOAD_* override them.
MAX_BYTES = 2 * 1024**3
MAX_SECONDS = 30 * 60
SOCKET_TIMEOUT_S = public_addresses.SOCKET_TIMEOUT_S
CHUNK = 1024 * 1024


class DownloadRefused(ImportFailed):
    pass


def _allow_private() -> bool:
    return getattr(settings, "GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE", False)


def download(url: str, out: BinaryIO) -> int:
    """Write the body at ``url`` into ``out``; the number of bytes. ImportFailed says why not."""
    try:
        public_addresses.require_http(url)
    except public_addresses.Refused as exc:
        raise DownloadRefused(str(exc)) from None
    max_bytes = getattr(settings, "GEO_CIVIC_DOWNLOAD_MAX_BYTES", MAX_BYTES)
    max_seconds = getattr(settings, "GEO_CIVIC_DOWNLOAD_MAX_SECONDS", MAX_SECONDS)
    deadline = time.monotonic() + max_seconds
    written = 0
    try:
        opener = public_addresses.opener(_allow_private(), purpose="downloads only from")
        with opener.open(url, timeout=min(SOCKET_TIMEOUT_S, max_seconds)) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise DownloadRefused(f"{url}: {declared} bytes, more than {max_bytes}: refused")
            while chunk := response.read1(CHUNK):  # what has come: a slow drip is timed too
                written += len(chunk)
                if written > max_bytes:
                    raise DownloadRefused(f"{url}: more than {max_bytes} bytes: refused")
                if time.monotonic() > deadline:
                    raise DownloadRefused(f"{url}: took more than {max_seconds} s: given up")
                out.write(chunk)
    except public_addresses.Refused as exc:
        raise DownloadRefused(str(exc)) from None
    except public_addresses.Unresolvable as exc:
        raise ImportFailed(str(exc)) from None
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as exc:
        raise ImportFailed(f"could not download {url}: {exc}") from exc
    return written
