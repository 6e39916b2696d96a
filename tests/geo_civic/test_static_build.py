"""The front end as production serves it: built bundles under hashed names, cached for ever and
compressed, and a service worker whose precache list is exactly what the build produced."""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from geo_civic.pages import frontend_build

REPO = Path(__file__).resolve().parents[2]
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
ASSET_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


PRODUCTION_STATIC = {
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    },
    "WHITENOISE_USE_FINDERS": False,
    "WHITENOISE_AUTOREFRESH": False,
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with the production storage into a fresh STATIC_ROOT (once: it compresses
    every file with brotli and gzip)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, **PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(collected, settings, reunion_communes):
    """That STATIC_ROOT served by whitenoise as in production (no finders, no autorefresh)."""
    settings.STATIC_ROOT = collected
    for name, value in PRODUCTION_STATIC.items():
        setattr(settings, name, value)
    return collected


def test_production_settings_use_the_manifest_storage():
    env = {k: v for k, v in os.environ.items() if k not in {"GEO_CIVIC_DEBUG", "SECRET_KEY"}}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "geo_civic.settings",
             "GEO_CIVIC_ENV": "production", "SECRET_KEY": "x" * 50},  # fmt: skip
        cwd=REPO, capture_output=True, text=True, check=False,  # fmt: skip
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [MANIFEST_STORAGE, False]


def test_the_map_page_references_hashed_files_that_exist(production_static):
    page = Client().get("/").content.decode()
    urls = ASSET_URL.findall(page)
    map_entry = frontend_build.entry("map")
    bundle = [u for u in urls if u.startswith("/static/build/map.")]
    # The bundle and its stylesheet under Django's content hash, its chunks under esbuild's.
    assert {Path(u).suffix for u in bundle} == {".js", ".css"}
    for url in bundle:
        assert re.search(r"/build/map\.[0-9a-f]{12}\.(js|css)$", url), url
    assert [u for u in urls if "/chunks/" in u] == [f"/static/{p}" for p in map_entry.preload]
    assert map_entry.preload, "Leaflet is a chunk shared with the other pages"
    for url in urls:
        assert (production_static / url.removeprefix("/static/")).is_file(), url
    # Nothing is served raw from node_modules any more.
    assert "vendor/leaflet" not in page and "leaflet-src" not in page


def test_hashed_files_are_immutable_and_compressed(production_static):
    client = Client()
    page = client.get("/").content.decode()
    script = next(u for u in ASSET_URL.findall(page) if u.endswith(".js") and "/map." in u)
    chunk = next(u for u in ASSET_URL.findall(page) if "/chunks/" in u)
    raw = (production_static / script.removeprefix("/static/")).read_bytes()
    for url in (script, chunk):
        plain = client.get(url)
        assert plain.status_code == 200
        assert "immutable" in plain["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", plain["Cache-Control"])[1]) >= 365 * 86400
    br = client.get(script, headers={"accept-encoding": "gzip, deflate, br"})
    assert br["Content-Encoding"] == "br"
    br_body = b"".join(br.streaming_content)
    assert brotli.decompress(br_body) == raw
    assert len(br_body) < len(raw) / 3  # minified and compressed
    gz = client.get(script, headers={"accept-encoding": "gzip"})
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(gz.streaming_content)) == raw
    # An unhashed name is not for ever.
    unhashed = client.get("/static/build/map.js")
    assert "immutable" not in unhashed["Cache-Control"]


def test_the_service_worker_precaches_the_built_files(production_static):
    client = Client()
    script = client.get("/sw.js").content.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script)[1])
    page = client.get("/").content.decode()
    assert set(ASSET_URL.findall(page)) <= set(precache)  # every file the map page loads
    assert {"/", "/manifest.webmanifest"} <= set(precache)
    catalogue = re.search(r'<script defer src="(/jsi18n/\w+/\?v=\w+)"', page)[1]
    assert catalogue in precache  # the translations, under the URL the page asks for
    for url in precache:
        assert client.get(url).status_code == 200, url
    assert "const IMMUTABLE = true;" in script
    # The cache is named after the list: a new build replaces it.
    assert re.search(r'const CACHE = "geocivic-[0-9a-f]{12}";', script)
