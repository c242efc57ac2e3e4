from __future__ import annotations

from typing import Any

from django import template

from catalog.models import Anime
from manga.models import AnimeMangaRelation

register = template.Library()


@register.inclusion_tag("manga/blocks.html#related-manga")
def related_manga(anime: Anime) -> dict[str, Any]:
    """The anime page's "Related manga", grouped by relation; nothing when there are none."""
    return {"relations": list(AnimeMangaRelation.objects.for_anime_page(anime))}
