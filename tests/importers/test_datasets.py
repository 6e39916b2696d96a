"""Official data comes from the cache, the mirror or its URL, and always matches its checksum."""

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from geo_civic.sources import catalogue
from importers import datasets
from importers.errors import ImportFailed
from tests.conftest import REUNION


@pytest.fixture
def http_root(tmp_path, settings):
    """A real HTTP server on loopback serving ``tmp_path / 'www'`` (downloads may reach it)."""
    settings.GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = True
    root = tmp_path / "www"
    root.mkdir()
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(root), **kw
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def make_source(url: str, sha256: str, mirror: str = "") -> catalogue.Source:
    return catalogue.Source(
        kind="communes",
        name="test",
        title="",
        format="GeoJSON",
        licence="",
        attribution="",
        datasets={"x": {"url": url, "sha256": sha256, "mirror": mirror}},
    )


def test_reads_the_mirror_when_the_checksum_matches(settings, tmp_path, test_data):
    settings.GEO_CIVIC_SOURCES_DIR = tmp_path
    mirror_file = test_data(REUNION)
    settings.GEO_CIVIC_DATA_MIRROR = str(mirror_file.parents[2])
    sha = hashlib.sha256(mirror_file.read_bytes()).hexdigest()
    dataset = make_source("", sha, REUNION).dataset("x")
    assert datasets.fetch(dataset) == mirror_file


def test_mirror_with_another_checksum_is_refused(settings, tmp_path, test_data):
    settings.GEO_CIVIC_SOURCES_DIR = tmp_path
    settings.GEO_CIVIC_DATA_MIRROR = str(test_data(REUNION).parents[2])
    dataset = make_source("", "0" * 64, REUNION).dataset("x")
    with pytest.raises(ImportFailed, match="does not match the checksum"):
        datasets.fetch(dataset)


def test_downloads_once_into_the_cache_and_records_the_checksum(settings, tmp_path, http_root):
    settings.GEO_CIVIC_SOURCES_DIR = tmp_path
    settings.GEO_CIVIC_DATA_MIRROR = ""
    root, base_url = http_root
    payload = b'{"type": "FeatureCollection", "features": []}'
    (root / "communes.geojson").write_bytes(payload)
    sha = hashlib.sha256(payload).hexdigest()
    dataset = make_source(f"{base_url}/communes.geojson", sha).dataset("x")
    path = datasets.fetch(dataset)
    assert path.parent == tmp_path / "communes" / "cache"
    assert path.read_bytes() == payload
    assert Path(f"{path}.sha256").read_text().split()[0] == sha
    (root / "communes.geojson").unlink()  # the second fetch must not need the server
    assert datasets.fetch(dataset) == path


def test_download_with_a_wrong_checksum_leaves_no_file(settings, tmp_path, http_root):
    settings.GEO_CIVIC_SOURCES_DIR = tmp_path
    settings.GEO_CIVIC_DATA_MIRROR = ""
    root, base_url = http_root
    (root / "communes.geojson").write_bytes(b"tampered")
    dataset = make_source(f"{base_url}/communes.geojson", "0" * 64).dataset("x")
    with pytest.raises(ImportFailed, match="checksum mismatch"):
        datasets.fetch(dataset)
    assert not any((tmp_path / "communes" / "cache").iterdir())


def test_unknown_source_lists_the_known_ones():
    with pytest.raises(catalogue.SourceError, match="known: .*france-geojson"):
        catalogue.load_source("communes", "admin-express-2099")
