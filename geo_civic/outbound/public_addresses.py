"""Connect only to public addresses: the check every outgoing request to a URL we were given needs.

A URL comes from a source definition, a command line or a remote server (an ActivityPub key id),
and a server may redirect anywhere: so every host is resolved and each of its addresses must be
public (not private, loopback, link-local…) before we connect, to the address we checked, at the
first request and after every redirect. ``allow_private`` opens loopback and private addresses for
tests serving on loopback; the callers read it from their own setting (refused in production).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

SOCKET_TIMEOUT_S = 30
MAX_REDIRECTS = 5


class Refused(Exception):
    """We will not connect there: a non-public address, or a scheme other than http(s)."""


class Unresolvable(Exception):
    """The host name has no address."""


def refusal(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool = False
) -> str | None:
    """Why we do not connect to ``address`` (its kind), or None when we may.

    Link-local (cloud metadata at 169.254.169.254), multicast and unspecified (0.0.0.0 is this
    host) addresses are refused whatever ``allow_private``, which opens loopback and private ones.
    """
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    if address.is_global:
        return None
    for kind in ("link_local", "multicast", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if allow_private:
        return None
    return "loopback" if address.is_loopback else "private" if address.is_private else "reserved"


def checked_address(
    host: str, port: int, allow_private: bool = False, purpose: str = "connects only to"
) -> tuple:
    """The ``getaddrinfo`` entry to connect to, once every address of ``host`` proved public."""
    try:
        entries = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Unresolvable(f"cannot resolve {host}: {exc.strerror}") from None
    for *_, sockaddr in entries:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        kind = refusal(address, allow_private)
        if kind:
            raise Refused(
                f"{host} is at {address}, a {kind} address: GeoCivic {purpose} public addresses"
            )
    return entries[0]


def require_http(url: str) -> None:
    """Refuse file:, ftp:, data: and every other scheme but http and https."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise Refused(f"{url[:200]}: only http and https URLs are fetched")


def opener(
    allow_private: bool = False, purpose: str = "connects only to"
) -> urllib.request.OpenerDirector:
    """A urllib opener for HTTP(S) and redirects only (no file:, ftp:, data:, no proxy from the
    environment) whose every connection goes to the checked public address."""

    def connect(address: tuple[str, int], timeout=SOCKET_TIMEOUT_S, source_address=None):
        family, kind, proto, _, sockaddr = checked_address(*address, allow_private, purpose)
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
        except OSError:
            sock.close()
            raise
        return sock

    def checked(base: type[http.client.HTTPConnection]) -> Callable:
        class Checked(base):  # type: ignore[valid-type,misc]
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                self._create_connection = connect  # TLS still checks the host name's certificate

        return Checked

    http_connection = checked(http.client.HTTPConnection)
    https_connection = checked(http.client.HTTPSConnection)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(http_connection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(https_connection, req)

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            require_http(newurl)
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    director = urllib.request.OpenerDirector()
    for handler in (
        HTTPHandler(),
        HTTPSHandler(),
        Redirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        director.add_handler(handler)
    return director
