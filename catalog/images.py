"""Uploaded images: checked with Pillow, then converted to clean WebP.

An upload is untrusted bytes. Before a single pixel is decoded the file must be small enough,
in one of a few common formats, and declare a sane number of pixels: a few kilobytes of PNG can
declare a 100,000 × 100,000 image whose decoding would eat the server's memory (a
"decompression bomb"). Whatever passes is decoded once, turned upright as its EXIF says,
converted to sRGB and stripped of every piece of metadata (camera, GPS position, comments).

Reuse: `ImageUploadField` in a form (or `validate_image_upload` as a validator) turns every
bad upload into a form error, never a 500; `open_image(file, max_size)` + `webp_bytes` make
the stored files (see catalog.cover_files).
"""

from __future__ import annotations

import warnings
from io import BytesIO
from math import ceil
from typing import IO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow's own names; formats it can read that are not here (TIFF, BMP, ICO, PSD…) are refused
# without their parsers ever seeing the bytes.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
WEBP_QUALITY = 85

# Pillow warns above this many pixels and refuses above twice as many; the warning is turned
# into a refusal below. Set here rather than trusting Pillow's default (~89 MP) to stay put.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

NOT_AN_IMAGE = "Upload a JPEG, PNG, WebP or GIF image. This file is not one, or it is damaged."


def validate_image_upload(file: IO[bytes]) -> None:
    """Raise ValidationError unless `file` is an image we accept (see `open_image`)."""
    open_image(file).close()


def open_image(file: IO[bytes], max_size: tuple[int, int] | None = None) -> Image.Image:
    """The upload decoded, upright, in sRGB, without metadata; ValidationError if refused.

    With `max_size`, a larger image is scaled down to fit in it (a JPEG is even decoded at a
    fraction of its size, which takes a fraction of the time and memory). Animated GIF and WebP
    give their first frame. The file is read from its start.
    """
    size = file_size(file)
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This file is %(size)s MB; the limit is %(limit)s MB.",
            code="file_too_large",
            params={"size": f"{size / 2**20:.1f}", "limit": MAX_UPLOAD_BYTES // 2**20},
        )
    # Pillow reads a copy of the bytes (at most MAX_UPLOAD_BYTES): a PNG or GIF image keeps its
    # file for later frames and closes it when the image is closed, and the caller's upload
    # must stay open (Django reads it again for the width and height fields).
    file.seek(0)
    copy = BytesIO(file.read())
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = decoded(copy, max_size)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_many_pixels() from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            # Pillow signals truncated or corrupt data with any of these.
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    image = clean(image)
    if max_size:
        image.thumbnail(max_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def decoded(file: IO[bytes], max_size: tuple[int, int] | None) -> Image.Image:
    file.seek(0)
    with Image.open(file, formats=ALLOWED_FORMATS) as probe:
        # Checked by hand as well: the header's size, before anything is decompressed.
        if probe.width * probe.height > MAX_PIXELS:
            raise too_many_pixels()
        probe.verify()
    # verify() leaves the image unusable; a second, fresh open decodes it.
    file.seek(0)
    image = Image.open(file, formats=ALLOWED_FORMATS)
    if max_size and image.format == "JPEG":
        # The JPEG decoder can skip detail at 1/2, 1/4 or 1/8 scale: asked for the size the
        # image will be scaled to (turned as its EXIF orientation will turn it), it picks the
        # smallest of those scales that is at least as large.
        width, height = max_size
        if image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
            width, height = height, width
        scale = min(width / image.width, height / image.height)
        if scale < 1:
            image.draft(image.mode, (ceil(image.width * scale), ceil(image.height * scale)))
    image.load()
    return image


def too_many_pixels() -> ValidationError:
    return ValidationError(
        "This image has too many pixels; the limit is %(limit)s megapixels.",
        code="too_many_pixels",
        params={"limit": MAX_PIXELS // 1_000_000},
    )


def clean(image: Image.Image) -> Image.Image:
    """Upright, sRGB, RGB on white, and carrying no metadata.

    Each step replaces the image it came from, so a large upload is held about twice, not five
    times, in memory.
    """
    ImageOps.exif_transpose(image, in_place=True)
    icc_profile = image.info.get("icc_profile")
    if icc_profile:
        image = replaced(image, in_srgb(image, icc_profile))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = replaced(image, image.convert("RGBA"))
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
        rgba.close()
    else:
        image = replaced(image, image.convert("RGB"))
    # What is left of the metadata lives in `info` (EXIF, XMP, ICC profile, comments).
    image.info.clear()
    return image


def replaced(old: Image.Image, new: Image.Image) -> Image.Image:
    if new is not old:
        old.close()
    return new


def in_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """The image's colours converted from its embedded profile (Adobe RGB, CMYK…) to sRGB,
    so that dropping the profile with the rest of the metadata leaves the colours alone."""
    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels as they are beat a refused upload


def webp_bytes(image: Image.Image, quality: int = WEBP_QUALITY) -> bytes:
    buffer = BytesIO()
    # No exif, icc_profile or xmp argument: WebP stores none of them unless given.
    image.save(buffer, "WEBP", quality=quality)
    return buffer.getvalue()


def file_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, 2)
        file.seek(0)
    return size


class ImageUploadField(forms.ImageField):
    """An image upload checked by `open_image`: a refused file is an error on the form.

    The cleaned value is the uploaded file, with `.checked_image` (decoded, upright, stripped,
    fitted into `max_size` if given) for whoever stores it, so it is decoded only once.
    """

    def __init__(self, *, max_size: tuple[int, int] | None = None, **kwargs) -> None:
        self.max_size = max_size
        super().__init__(**kwargs)

    def to_python(self, data: File | None) -> File | None:
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        file.checked_image = open_image(file, self.max_size)
        file.seek(0)
        return file
