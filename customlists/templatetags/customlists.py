from __future__ import annotations

from typing import Any

from django import template

from catalog.models import Anime
from customlists.blocks import anime_lists_context

register = template.Library()


@register.inclusion_tag("customlists/blocks.html#anime-lists", takes_context=True)
def anime_custom_lists(context: template.Context, anime: Anime) -> dict[str, Any]:
    """The anime page's "Custom lists": public lists holding it and, for a member, a form to
    put it in one of theirs. Anonymous visitors get no form (their page is cached)."""
    return anime_lists_context(context["request"].user, anime)
