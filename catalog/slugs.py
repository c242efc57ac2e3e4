"""Readable, unique slugs: BLAME! is /anime/blame/, and a second "Parallel" gets a telling suffix."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from itertools import count

from django.db import models
from django.utils.text import slugify

# Room for "-<suffix>" inside the column.
SUFFIX_ROOM = 24
# /anime/suggest/ and the listings under /anime/tag/, /anime/studio/ and /anime/season/ are
# pages of their own: an anime with one of these slugs would lose its characters' and staff's
# pages (/anime/<slug>/characters/) to them.
RESERVED = frozenset({"suggest", "tag", "studio", "season"})


def slug_candidates(
    text: str, *, fallbacks: Iterable[str] = (), default: str, max_length: int
) -> Iterator[str]:
    base = slugify(text)[: max_length - SUFFIX_ROOM].strip("-") or default
    yield base
    for suffix in fallbacks:
        yield f"{base}-{suffix}"
    for n in count(2):
        yield f"{base}-{n}"


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    fallbacks: Iterable[str] = (),
    taken: Container[str] | None = None,
) -> str:
    """The first free slug for `text`; `taken` spares a query per candidate in bulk imports."""
    field = model._meta.get_field("slug")
    for candidate in slug_candidates(
        text, fallbacks=fallbacks, default=model._meta.model_name, max_length=field.max_length
    ):
        if candidate in RESERVED:
            continue
        if taken is not None:
            if candidate not in taken:
                return candidate
        elif not model._default_manager.filter(slug=candidate).exists():
            return candidate
    raise AssertionError("unreachable: slug candidates are endless")
