"""Data answers travel gzipped when the browser asks; pages with CSRF tokens never do (BREACH)."""

import gzip
import json

import pytest
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers

from geo_civic.actors.models import Actor
from geo_civic.web.compression import DataCompressionMiddleware

pytestmark = pytest.mark.django_db
GZIP = {"accept-encoding": "gzip, deflate, br"}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def actors(reunion_communes):
    Actor.objects.bulk_create(
        Actor(kind="place", name=f"Jardin partagé {i}", point=f"POINT(55.{4400 + i} -20.88)",
              status=Actor.Status.PUBLISHED)  # fmt: skip
        for i in range(40)
    )


def test_streamed_geojson_is_gzipped_and_stays_streamed(client, actors):
    url = "/api/layers/actors.geojson?commune=97411"
    plain = body(client.get(url))
    zipped = client.get(url, headers=GZIP)
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped.streaming  # sent as PostGIS writes it, not held in memory first
    data = body(zipped)
    assert json.loads(gzip.decompress(data)) == json.loads(plain)
    assert len(data) < len(plain) / 3
    assert "Accept-Encoding" in zipped["Vary"]


def test_json_tiles_and_exports_are_gzipped(client, actors, settings):
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 0  # the export limit is tested elsewhere
    for url in (
        "/api/categories",
        "/api/map/clusters?bbox=55.2,-21.4,55.9,-20.8&zoom=10",
        "/api/layers/actors.csv?commune=97411",
        "/tiles/communes/10/669/572.pbf",
    ):
        plain, zipped = body(client.get(url)), client.get(url, headers=GZIP)
        assert zipped.status_code == 200, url
        if "Content-Encoding" in zipped:
            assert zipped["Content-Encoding"] == "gzip", url
            assert gzip.decompress(body(zipped)) == plain, url
        else:
            # Django's gzip adds up to 100 random bytes (against BREACH) and keeps the plain
            # answer when that does not pay: only a small answer may stay plain.
            assert len(plain) < 2000, url
    csv = client.get("/api/layers/actors.csv?commune=97411", headers=GZIP)
    assert csv["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("url", ["/", "/embed/", "/comptes/login/", "/communes/97411/"])
def test_pages_are_never_compressed(client, actors, url):
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"<html" in response.content


def test_an_answer_that_varies_on_the_cookie_is_not_compressed(rf):
    """An answer that depends on who asks may carry something of theirs: left as it is."""
    personal = JsonResponse({"drafts": ["x" * 40] * 20})
    patch_vary_headers(personal, ["Cookie"])
    public = JsonResponse({"drafts": ["x" * 40] * 20})
    request = rf.get("/api/anything", headers=GZIP)
    middleware = DataCompressionMiddleware(lambda r: None)
    assert "Content-Encoding" not in middleware.process_response(request, personal)
    assert middleware.process_response(request, public)["Content-Encoding"] == "gzip"


def test_revalidation_accepts_the_weak_etag_of_a_gzipped_answer(client, actors):
    url = "/api/layers/actors.geojson?commune=97411"
    zipped = client.get(url, headers=GZIP)
    etag = zipped["ETag"]
    assert etag.startswith('W/"')
    assert client.get(url, headers={**GZIP, "if-none-match": etag}).status_code == 304
