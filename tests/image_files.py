"""Image files for upload tests: real images built with Pillow, and hostile ones."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from catalog import images


def jpeg_with_exif(size: tuple[int, int] = (300, 200), orientation: int = 6) -> bytes:
    """A landscape JPEG whose EXIF says "turn me a quarter" (6), with a camera and GPS tags."""
    image = Image.new("RGB", size, "navy")
    image.paste("yellow", (0, 0, size[0] // 2, size[1]))  # left half: top half once upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Snoopy Camera Co."
    exif[ExifTags.Base.ImageDescription] = "taken at home"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"secret comment")
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (90, 120), mode: str = "RGB", colour="teal", **info) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, colour).save(buffer, "PNG", **info)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A few dozen bytes of PNG that declare a `width` × `height` image: a decompression bomb
    needs no more to make a naive server allocate gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "cover.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


# What every image upload form refuses, and the message it shows.
REFUSED_UPLOADS = [
    pytest.param(png_header(100_000, 100_000), "This image has too many pixels", id="bomb"),
    pytest.param(
        b"#!/bin/sh\necho hello\n", "This file is not one, or it is damaged.", id="not an image"
    ),
    pytest.param(
        b"\xff\xd8" + bytes(images.MAX_UPLOAD_BYTES), "the limit is 10 MB.", id="too large"
    ),
]
