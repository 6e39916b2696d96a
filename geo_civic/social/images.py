"""News images: size-capped, decoded and re-encoded by Pillow, so no metadata (EXIF, GPS, XMP,
comments) survives, and kept in a few widths through Django's storage (MEDIA_ROOT)."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from geo_civic.participation.errors import Invalid
from geo_civic.social.models import News, NewsImage

# A decoded image larger than this is refused before it fills the memory.
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def store_image(news: News, data: bytes, alt: str = "") -> NewsImage:
    """Re-encode ``data`` as JPEG in each configured width (never wider than the original)."""
    if len(data) > settings.GEO_CIVIC_NEWS_IMAGE_MAX_BYTES:
        raise Invalid(f"image: at most {settings.GEO_CIVIC_NEWS_IMAGE_MAX_BYTES // 1_000_000} MB")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise Invalid("image: JPEG, PNG, WebP or GIF")
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid("image: too many pixels")
            probe.load()
            # The camera's orientation applied to the pixels, then every tag left behind.
            upright = ImageOps.exif_transpose(probe).convert("RGB")
            picture = Image.new("RGB", upright.size)  # pixels only: no info, no EXIF
            picture.paste(upright)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        raise Invalid("image: not a readable picture") from error
    stem = f"news/{news.pk}/{uuid.uuid4().hex}"
    files = {}
    for width in sorted({min(w, picture.width) for w in settings.GEO_CIVIC_NEWS_IMAGE_WIDTHS}):
        height = max(1, round(picture.height * width / picture.width))
        resized = picture if width == picture.width else picture.resize((width, height))
        out = io.BytesIO()
        resized.save(out, "JPEG", quality=85, optimize=True)
        files[str(width)] = default_storage.save(f"{stem}-{width}.jpg", ContentFile(out.getvalue()))
    return NewsImage.objects.create(
        news=news, width=picture.width, height=picture.height, files=files, alt=alt[:300]
    )


def image_urls(image: NewsImage) -> dict[str, str]:
    return {width: default_storage.url(name) for width, name in image.files.items()}


def delete_files(image: NewsImage) -> None:
    for name in image.files.values():
        default_storage.delete(name)
