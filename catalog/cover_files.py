"""Uploaded covers on disk: a WebP original and thumbnails in every width of COVER_WIDTHS.

The "original" is the upload cleaned, and scaled down to ORIGINAL_MAX_SIZE when larger.
Whatever is saved into an anime's `cover` (the admin's upload, a file given in code) is
checked and cleaned by catalog.images, then stored as `covers/<content hash>.webp` with its
thumbnails beside it (`covers/<content hash>-75w.webp`, …), all made here, at save time, never
while a page is being served. A stored name never changes content, so the files can be cached
for good; replacing a cover stores new names and deletes the old files (see Anime.save).
"""

from __future__ import annotations

import hashlib
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from PIL import Image, ImageOps

from catalog.covers import COVER_WIDTHS, cover_height
from catalog.images import ImageUploadField, open_image, webp_bytes

THUMBNAIL_QUALITY = 80
# The stored original: big enough for thumbnails four times the largest (should the pages one
# day want them), small enough to encode in a second. Uploads are often far larger.
ORIGINAL_MAX_SIZE = (4 * max(COVER_WIDTHS), 4 * cover_height(max(COVER_WIDTHS)))


def thumbnail_name(name: str, width: int) -> str:
    """'covers/1a2b.webp', 75 → 'covers/1a2b-75w.webp'."""
    stem = name.rsplit(".", 1)[0]
    return f"{stem}-{width}w.webp"


def thumbnails(image: Image.Image) -> dict[int, bytes]:
    """The image cut to the covers' proportions (centred) and scaled to each of COVER_WIDTHS."""
    largest, *smaller = sorted(COVER_WIDTHS, reverse=True)
    # The large image is scaled down once; the smaller sizes come from that one, much faster.
    fitted = ImageOps.fit(
        image, (largest, cover_height(largest)), Image.Resampling.LANCZOS, centering=(0.5, 0.5)
    )
    files = {largest: webp_bytes(fitted, THUMBNAIL_QUALITY)}
    for width in smaller:
        scaled = fitted.resize((width, cover_height(width)), Image.Resampling.LANCZOS)
        files[width] = webp_bytes(scaled, THUMBNAIL_QUALITY)
    return files


def delete_cover_files(storage: Storage, name: str) -> None:
    """The original and its thumbnails; files already gone are no error."""
    for file_name in (name, *(thumbnail_name(name, width) for width in COVER_WIDTHS)):
        storage.delete(file_name)


class CoverFieldFile(ImageFieldFile):
    def save(self, name: str, content: IO[bytes], save: bool = True) -> None:
        """Store the cleaned WebP original and its thumbnails instead of the bytes given.

        Raises ValidationError for a file catalog.images refuses (forms check it before).
        """
        # A form's ImageUploadField has decoded it already.
        image = getattr(content, "checked_image", None)
        if image is None:
            image = open_image(content, ORIGINAL_MAX_SIZE)
        else:
            content.checked_image = None
            image.thumbnail(ORIGINAL_MAX_SIZE, Image.Resampling.LANCZOS, reducing_gap=3.0)
        try:
            original = webp_bytes(image)
            scaled = thumbnails(image)
        finally:
            image.close()
        name = f"{hashlib.sha256(original).hexdigest()[:20]}.webp"
        super().save(name, ContentFile(original, name=name), save=False)
        # Measured now, stored (see CoverField.update_dimension_fields).
        self.field.update_dimension_fields(self.instance, force=True)
        for width, data in scaled.items():
            file_name = thumbnail_name(self.name, width)
            # Left by a deleted cover of the same content and name; never another's.
            self.storage.delete(file_name)
            self.storage.save(file_name, ContentFile(data))
        if save:
            self.instance.save()

    def thumbnail_url(self, width: int) -> str:
        return self.storage.url(thumbnail_name(self.name, width))


class CoverField(models.ImageField):
    """An ImageField whose files are cleaned WebP with thumbnails (CoverFieldFile), and whose
    form field refuses bombs, non-images and oversized files with a form error."""

    attr_class = CoverFieldFile

    def update_dimension_fields(self, instance, force=False, *args, **kwargs) -> None:
        # An upload not stored yet is measured once it is, as the cleaned WebP (storing it sets
        # the field again). Measuring it now would have Pillow parse the untrusted bytes before
        # catalog.images checks them: a bomb given in code would raise Pillow's error, not ours.
        if self.attname in instance.__dict__:
            file = getattr(instance, self.attname)
            if file and not file._committed:
                return
        super().update_dimension_fields(instance, force, *args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": ImageUploadField, "max_size": ORIGINAL_MAX_SIZE, **kwargs}
        )


def rebuild_cover(anime: models.Model) -> None:
    """Store the anime's cover anew from its stored original: WebP, thumbnails of today's
    COVER_WIDTHS, a new name; the old files are deleted once the anime's save is committed.

    For covers stored before these rules (a JPEG without thumbnails) or after they change.
    Raises FileNotFoundError when the file is gone, ValidationError when it is refused.
    """
    with anime.cover.open("rb") as stored:
        content = ContentFile(stored.read(), name=anime.cover.name)
    anime.cover.save(anime.cover.name, content)
