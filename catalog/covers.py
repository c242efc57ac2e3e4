"""Covers' shape, and placeholder covers for anime without an uploaded image.

Every cover the site shows, uploaded or drawn, has the proportions of COVER_SIZE and comes in
the widths of COVER_WIDTHS, so a page can give each <img> its width and height before any
image arrives (no layout shift). Placeholders are drawn with Pillow's bundled font so they look
the same on every machine and need no network.
"""

from __future__ import annotations

import colorsys
import hashlib
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

COVER_SIZE = (225, 318)
# The files each cover comes in: the sizes the pages show (36, 56, 75 and 225 px wide) at 1x
# and 2x, each served by the smallest file at least as wide.
COVER_WIDTHS = (75, 150, 225, 450)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
RGB = tuple[int, int, int]


def cover_height(width: int) -> int:
    """The height of a cover `width` pixels wide: 75 → 106, 225 → 318."""
    return round(width * COVER_SIZE[1] / COVER_SIZE[0])


def placeholder_cover(title: str, subtitle: str, size: tuple[int, int] = COVER_SIZE) -> bytes:
    """A PNG with the title, word-wrapped, on a colour of its own; the same input gives the same bytes."""
    width, height = size
    digest = hashlib.sha256(title.encode()).digest()
    background = title_colour(digest)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)

    # Two soft discs placed by the digest, so covers of a similar colour still tell apart.
    lighter = shade(background, 1.18)
    for x_byte, y_byte, r_byte in (digest[3:6], digest[6:9]):
        cx, cy = x_byte * width // 255, y_byte * height // 255
        radius = width // 3 + r_byte * width // 510
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=lighter)

    margin = width // 12
    band_top = height - height // 7
    draw.rectangle((0, band_top, width, height), fill=shade(background, 0.6))

    font, lines = fit_text(draw, title, width - 2 * margin, band_top - 2 * margin, width // 8)
    line_height = font.size * 1.2
    top = (band_top - line_height * len(lines)) / 2
    for n, line in enumerate(lines):
        draw.text((width / 2, top + n * line_height), line, font=font, fill="white", anchor="ma")

    small = ImageFont.load_default(size=max(width // 16, 8))
    subtitle = truncate(draw, subtitle, small, width - 2 * margin)
    draw.text((width / 2, (band_top + height) / 2), subtitle, font=small, fill="white", anchor="mm")

    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def title_colour(digest: bytes) -> RGB:
    hue = int.from_bytes(digest[:2]) / 65536
    # Dark and muted enough that white text reads on every hue, yellow included.
    red, green, blue = colorsys.hls_to_rgb(hue, 0.27, 0.45 + digest[2] / 255 * 0.2)
    return round(red * 255), round(green * 255), round(blue * 255)


def shade(colour: RGB, factor: float) -> RGB:
    return tuple(min(255, round(channel * factor)) for channel in colour)  # type: ignore[return-value]


def fit_text(
    draw: ImageDraw.ImageDraw, text: str, max_width: int, max_height: int, size: int
) -> tuple[Font, list[str]]:
    """The largest font (down to half of `size`) whose wrapped lines fit; else cut the last line."""
    for font_size in range(size, size // 2 - 1, -1):
        font = ImageFont.load_default(size=font_size)
        lines = wrap(draw, text, font, max_width)
        if len(lines) * font_size * 1.2 <= max_height:
            return font, lines
    room = max(int(max_height // (font_size * 1.2)), 1)
    kept = lines[:room]
    kept[-1] = truncate(draw, kept[-1] + "…", font, max_width)
    return font, kept


def wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= max_width:
            lines[-1] = candidate
            continue
        # A word wider than the cover is broken wherever it must be.
        while draw.textlength(word, font=font) > max_width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and draw.textlength(word[:cut], font=font) > max_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines


def truncate(draw: ImageDraw.ImageDraw, text: str, font: Font, max_width: int) -> str:
    if draw.textlength(text, font=font) <= max_width:
        return text
    while len(text) > 1 and draw.textlength(text.rstrip("…") + "…", font=font) > max_width:
        text = text.rstrip("…")[:-1]
    return text.rstrip("…").rstrip() + "…"
