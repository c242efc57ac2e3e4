"""The tags the catalog's filter form offers, read once per catalog version by each process.

Every catalog page offers every genre and theme, with and without (~70 tags), and reading them
was a query and ~1.2 ms of a page built. They change only with the catalog, and every tag write
bumps its version (CatalogVersion): a process keeps the list of the version it last read.
"""

from __future__ import annotations

from functools import lru_cache

from catalog.models import Tag


@lru_cache(maxsize=1)
def filter_tags(catalog_version: int) -> tuple[tuple[str, str], ...]:
    """The (slug, name) of each tag the filter form offers, at this catalog version."""
    return tuple(Tag.objects.for_filters().values_list("slug", "name"))
