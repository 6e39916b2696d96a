"""Download a dataset's URL without letting it reach into our own network.

A URL comes from a source definition or a command line, and a server may redirect anywhere: so
every host is resolved and each of its addresses must be public (not private, loopback,
link-local…) before we connect, to the address we checked, at the first request and after every
redirect. The body is capped in size and in time. ``GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE`` opens
loopback and private addresses for tests that serve datasets on loopback (refused in production).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings

from importers.errors import ImportFailed

# Defaults; settings.GEO_CIVIC_DOWNLOAD_* override them.
MAX_BYTES = 2 * 1024**3
MAX_SECONDS = 30 * 60
SOCKET_TIMEOUT_S = 30
MAX_REDIRECTS = 5
CHUNK = 1024 * 1024


class DownloadRefused(ImportFailed):
    pass


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why we do not connect to ``address`` (its kind), or None when we may.

    Link-local (cloud metadata at 169.254.169.254), multicast and unspecified (0.0.0.0 is this
    host) addresses are refused whatever the setting, which opens loopback and private ones.
    """
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    if address.is_global:
        return None
    for kind in ("link_local", "multicast", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if getattr(settings, "GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE", False):
        return None
    return "loopback" if address.is_loopback else "private" if address.is_private else "reserved"


def checked_address(host: str, port: int) -> tuple:
    """The ``getaddrinfo`` entry to connect to, once every address of ``host`` proved public."""
    try:
        entries = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ImportFailed(f"cannot resolve {host}: {exc.strerror}") from None
    for *_, sockaddr in entries:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        kind = refusal(address)
        if kind:
            raise DownloadRefused(
                f"{host} is at {address}, a {kind} address: GeoCivic downloads only from "
                "public addresses"
            )
    return entries[0]


def _connect(address: tuple[str, int], timeout=SOCKET_TIMEOUT_S, source_address=None):
    """``socket.create_connection`` to the address we checked, not to a second DNS answer."""
    family, kind, proto, _, sockaddr = checked_address(*address)
    sock = socket.socket(family, kind, proto)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except OSError:
        sock.close()
        raise
    return sock


class _CheckedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _CheckedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect  # TLS still checks the certificate of the host name


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTP, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPS, req)


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _require_http(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _require_http(url: str) -> None:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise DownloadRefused(f"{url[:200]}: only http and https URLs are downloaded")


def _opener() -> urllib.request.OpenerDirector:
    """HTTP(S) and redirects only: no file:, ftp: or data: handler, no proxy from the env."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        _HTTPHandler(),
        _HTTPSHandler(),
        _Redirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def download(url: str, out: BinaryIO) -> int:
    """Write the body at ``url`` into ``out``; the number of bytes. ImportFailed says why not."""
    _require_http(url)
    max_bytes = getattr(settings, "GEO_CIVIC_DOWNLOAD_MAX_BYTES", MAX_BYTES)
    max_seconds = getattr(settings, "GEO_CIVIC_DOWNLOAD_MAX_SECONDS", MAX_SECONDS)
    deadline = time.monotonic() + max_seconds
    written = 0
    try:
        with _opener().open(url, timeout=min(SOCKET_TIMEOUT_S, max_seconds)) as response:
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
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as exc:
        raise ImportFailed(f"could not download {url}: {exc}") from exc
    return written
