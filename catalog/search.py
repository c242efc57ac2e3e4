"""How titles are compared in search: the database's own normal form, so an index can serve it.

`animedex_search_name(text)` (created in migration 0002_search) lower-cases, strips accents (unaccent) and
turns every run of punctuation and spaces into one space: "Steins;Gate" and "steins gate" are
both "steins gate", "Pokémon" is "pokemon", "BLAME!" is "blame". It keeps the letters of Latin,
Greek, Cyrillic, Japanese, Chinese and Korean scripts explicitly rather than by the locale's
character classes, so a server with the "C" locale normalises the same way.
"""

from __future__ import annotations

from django.db import models


class SearchName(models.Func):
    """The normal form of a title (a column, or the text a visitor typed)."""

    function = "animedex_search_name"
    output_field = models.TextField()
