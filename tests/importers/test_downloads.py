"""Dataset downloads reach only public addresses, after DNS and on every redirect, within caps.

A real HTTP server on loopback plays the dataset publisher (and the attacker's redirect); it
records every request, so "refused" means it was never asked.
"""

from __future__ import annotations

import http.server
import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from geo_civic.territories.models import Commune
from importers.downloads import DownloadRefused, download
from importers.errors import ImportFailed
from tests.geo_civic.test_security_settings import GOOD_KEY, settings_in

PAYLOAD = b'{"type": "FeatureCollection", "features": []}'


class Publisher(http.server.ThreadingHTTPServer):
    """Answers ``/data.geojson``, ``/big``, ``/slow``, ``/next/N``, ``/redirect?to=URL``; logs
    every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Publisher

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if self.path.startswith("/next/"):  # /next/1 -> /next/2 -> …, for ever
            self.send_response(302)
            self.send_header("Location", f"/next/{int(self.path[6:]) + 1}")
            self.end_headers()
        elif self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/redirect?to="))
            self.end_headers()
        elif self.path == "/big":  # no Content-Length: the cap must hold while it streams
            self.send_response(200)
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 65536)
        elif self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD)))
            self.end_headers()
            self.wfile.write(PAYLOAD)


@pytest.fixture
def publisher():
    server = Publisher()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"])  # noqa: S104
def test_loopback_is_refused_after_resolution_and_never_asked(publisher, host):
    url = publisher.base.replace("127.0.0.1", host) + "/data.geojson"
    with pytest.raises(DownloadRefused, match=r"a (loopback|unspecified) address"):
        download(url, io.BytesIO())
    assert publisher.requests == []


def test_private_and_link_local_addresses_are_refused():
    with pytest.raises(DownloadRefused, match="10.1.2.3, a private address"):
        download("http://10.1.2.3/communes.geojson", io.BytesIO())
    with pytest.raises(DownloadRefused, match="169.254.169.254, a link-local address"):
        download("http://169.254.169.254/latest/meta-data/", io.BytesIO())


def test_allowed_loopback_downloads(publisher, settings):
    settings.GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = True
    out = io.BytesIO()
    assert download(f"{publisher.base}/data.geojson", out) == len(PAYLOAD)
    assert out.getvalue() == PAYLOAD


def test_each_redirect_is_checked(publisher, settings):
    # Loopback is allowed here (the test publisher); the cloud metadata address never is.
    settings.GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = True
    metadata = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(DownloadRefused, match="link-local"):
        download(f"{publisher.base}/redirect?to={metadata}", io.BytesIO())
    with pytest.raises(ImportFailed, match="url 'file:///etc/passwd' is not allowed"):
        download(f"{publisher.base}/redirect?to=file:///etc/passwd", io.BytesIO())
    ok = io.BytesIO()
    download(f"{publisher.base}/redirect?to={publisher.base}/data.geojson", ok)
    assert ok.getvalue() == PAYLOAD


def test_redirects_are_capped(publisher, settings):
    settings.GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = True
    with pytest.raises(ImportFailed, match="could not download"):
        download(f"{publisher.base}/next/1", io.BytesIO())
    assert len(publisher.requests) == 6  # the first request and 5 redirects


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "data:,x"])
def test_only_http_urls(url):
    with pytest.raises(DownloadRefused, match="only http and https"):
        download(url, io.BytesIO())


def test_size_cap_holds_while_streaming(publisher, settings):
    settings.GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = True
    settings.GEO_CIVIC_DOWNLOAD_MAX_BYTES = 1024**2
    out = io.BytesIO()
    with pytest.raises(DownloadRefused, match="more than 1048576 bytes"):
        download(f"{publisher.base}/big", out)
    assert len(out.getvalue()) <= 1024**2


def test_time_cap_holds_for_a_slow_drip(publisher, settings):
    settings.GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = True
    settings.GEO_CIVIC_DOWNLOAD_MAX_SECONDS = 1
    with pytest.raises(DownloadRefused, match="took more than 1 s"):
        download(f"{publisher.base}/slow", io.BytesIO())


@pytest.mark.django_db
def test_import_communes_from_a_loopback_url_is_refused(publisher, settings, tmp_path):
    settings.GEO_CIVIC_SOURCES_DIR = tmp_path
    with pytest.raises(CommandError, match="127.0.0.1 is at 127.0.0.1, a loopback address"):
        call_command("import_communes", f"{publisher.base}/data.geojson")
    assert publisher.requests == [] and not Commune.objects.exists()
    assert not list(tmp_path.rglob("*.geojson"))


def test_production_refuses_to_start_with_private_downloads_allowed():
    env = {"GEO_CIVIC_ENV": "production", "SECRET_KEY": GOOD_KEY}
    result = settings_in({**env, "GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE": "1"})
    assert result.returncode != 0
    assert "GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE is set" in result.stderr
    assert settings_in(env).returncode == 0
