"""Draw the app's PNG icons once (committed): the pin of icon.svg on GeoCivic's green.

Phones want PNG icons of 192 and 512 px, and a "maskable" one whose drawing stays inside the
centre 80 % circle (the launcher crops it to its own shape). Pillow draws them; no SVG renderer
is needed at build time.

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (11, 93, 59, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "geo_civic/pages/static/geo_civic/icons"
SCALE = 4  # drawn large, then reduced: smooth edges


def pin(draw: ImageDraw.ImageDraw, size: int, cx: float, cy: float, r: float) -> None:
    """A map pin: a disc of radius r at (cx, cy), its point below, a hole in its middle."""
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    draw.polygon(
        [(cx - r * 0.86, cy + r * 0.5), (cx + r * 0.86, cy + r * 0.5), (cx, cy + r * 1.7)],
        fill=WHITE,
    )
    hole = r * 0.4
    draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=GREEN)


def icon(size: int, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:  # full bleed; the pin within the safe zone
        draw.rectangle((0, 0, big, big), fill=GREEN)
        pin(draw, big, big / 2, big * 0.43, big * 0.17)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 96 / 512, fill=GREEN)
        pin(draw, big, big / 2, big * 0.41, big * 0.235)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
