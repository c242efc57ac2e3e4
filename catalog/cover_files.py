"""Uploaded covers on disk: a WebP original and thumbnails in every width of COVER_WIDTHS.

The "original" is the upload cleaned, and scaled down to ORIGINAL_MAX_SIZE when larger.
Whatever is saved into an anime's `cover` (the admin's upload, a file given in code) is
checked and cleaned by catalog.images, then stored as `covers/<content hash>.webp` with its
thumbnails beside it (`covers/<content hash>-75w.webp`, …), all made here, at save time, never
while a page is being served. A stored name never changes content, so the files can be cached
for good; replacing a cover stores new names and deletes the old files (KeepsCoverFiles).
"""

from __future__ import annotations

import functools
import hashlib
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import models, transaction
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

    def contribute_to_class(self, cls, name, **kwargs) -> None:
        # FileField's, not ImageField's, which also hooks update_dimension_fields to every
        # instantiation (post_init) to find dimensions the row has just loaded: a third of the
        # cost of each of a listing's rows. A cover changes only by assignment (a form, the
        # cleaned file being stored), and the field's descriptor measures it then.
        models.FileField.contribute_to_class(self, cls, name, **kwargs)

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


class KeepsCoverFiles(models.Model):
    """A model with a CoverField (named by `cover_field`) whose files go when they are no longer
    its cover: those of a replaced or removed cover, and a deleted row's. They go once the
    change is committed: a rolled-back change keeps them.

    The name the database holds is remembered when the row is loaded and after each save, so a
    save compares without a query; None when the field was deferred (unknown: nothing goes).
    """

    cover_field = "cover"
    _stored_cover: str | None = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        old, new = self._stored_cover, self._cover().name or ""
        if old is None or old == new:
            return
        self._stored_cover = new
        if old:
            self._delete_files_on_commit(old)
        self.cover_replaced(adding)

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        name = self._cover().name
        deleted = super().delete(*args, **kwargs)
        if name:
            self._delete_files_on_commit(name)
        return deleted

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None) -> Any:
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        stored = instance.__dict__.get(cls.cover_field)
        instance._stored_cover = getattr(stored, "name", stored)
        return instance

    def cover_replaced(self, adding: bool) -> None:
        """After a new or removed cover was saved: for the pages that show it."""

    def _cover(self) -> CoverFieldFile:
        return getattr(self, self.cover_field)

    def _delete_files_on_commit(self, name: str) -> None:
        transaction.on_commit(functools.partial(delete_cover_files, self._cover().storage, name))
