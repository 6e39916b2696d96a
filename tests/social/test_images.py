"""News images: a photo with GPS tags is stored without any metadata, in several widths."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.participation.conftest import as_, post

pytestmark = pytest.mark.django_db


def photo_with_gps(width=1600, height=1200) -> bytes:
    picture = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "SecretEditor 1.0"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (21.0, 0.0, 34.56)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (55.0, 16.0, 12.0)  # GPSLongitudeRef, GPSLongitude
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()



def multipart(client, news_id, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/api/v1/news/{news_id}/images",
                       {"image": SimpleUploadedFile("photo.jpg", data, "image/jpeg")})  # fmt: skip


def test_gps_and_every_exif_tag_are_stripped(client, roles, media_root):
    original = photo_with_gps()
    with Image.open(io.BytesIO(original)) as check:  # the test's photo does carry them
        assert check.getexif().get_ifd(0x8825) and b"SecretEditor" in original
    as_(client, roles["moderator"])
    made = post(client, "/api/v1/news", {"commune": "97415", "title": "Marché", "body": "b"})
    answer = multipart(client, made.json()["id"], original)
    assert answer.status_code == 201, answer.content
    urls = answer.json()["urls"]
    assert sorted(urls, key=int) == ["320", "640", "1280"]
    stored = sorted(Path(media_root).rglob("*.jpg"))
    assert len(stored) == 3
    for path in stored:
        data = path.read_bytes()
        with Image.open(path) as image:
            assert not image.getexif() and "exif" not in image.info
            assert image.width in (320, 640, 1280)
        assert b"SecretEditor" not in data and b"CameraMaker" not in data and b"Exif" not in data


def test_images_are_refused_when_not_pictures_too_big_or_not_ones_own(client, roles, settings):
    as_(client, roles["moderator"])
    news_id = post(client, "/api/v1/news", {"commune": "97415", "title": "t", "body": "b"}).json()[
        "id"]  # fmt: skip
    assert multipart(client, news_id, b"not a picture at all").status_code == 400
    settings.GEO_CIVIC_NEWS_IMAGE_MAX_BYTES = 1000
    too_big = multipart(client, news_id, photo_with_gps())
    assert too_big.status_code == 400 and too_big["Content-Type"] == "application/problem+json"
    settings.GEO_CIVIC_NEWS_IMAGE_MAX_BYTES = 8_000_000
    as_(client, roles["resident"])
    assert multipart(client, news_id, photo_with_gps(200, 100)).status_code == 403
