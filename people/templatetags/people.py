from __future__ import annotations

from typing import Any

from django import template

from catalog.models import Anime
from people.models import CharacterRole, StaffCredit

register = template.Library()

ANIME_PAGE_CHARACTERS = 6
ANIME_PAGE_STAFF = 8


@register.inclusion_tag("people/blocks.html#anime-characters")
def anime_characters(anime: Anime) -> dict[str, Any]:
    """The anime page's Characters block: the first few, main ones first, each with their
    Japanese voice; hidden when the anime has none. One query."""
    roles = list(CharacterRole.objects.filter(anime=anime).for_anime_page()[:ANIME_PAGE_CHARACTERS])
    return {"anime": anime, "roles": roles, "total": roles[0].total if roles else 0}


@register.inclusion_tag("people/blocks.html#anime-staff")
def anime_staff(anime: Anime) -> dict[str, Any]:
    """The anime page's Staff block: the most sought-after credits (original creator, director,
    music…); hidden when the anime has none. One query."""
    credits = list(StaffCredit.objects.filter(anime=anime).for_anime_page()[:ANIME_PAGE_STAFF])
    return {"anime": anime, "credits": credits, "total": credits[0].total if credits else 0}
