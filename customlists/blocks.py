"""What the anime page's "Custom lists" block shows: shared by its template tag and by the view
that answers the block's "add to a list" form."""

from __future__ import annotations

from typing import Any

from catalog.models import Anime
from customlists.models import CustomList, CustomListItem

ANIME_PAGE_LISTS = 5


def anime_lists_context(user, anime: Anime, **extra: Any) -> dict[str, Any]:
    """A few public lists holding the anime and how many there are (one query); for a member,
    their own lists and which of them hold it already (one more)."""
    items, count = CustomListItem.objects.in_public_lists(anime).first_with_total(ANIME_PAGE_LISTS)
    context = {"anime": anime, "user": user, "items": items, "count": count, **extra}
    if user.is_authenticated:
        mine = list(
            CustomList.objects.filter(owner=user)
            .with_anime(anime)
            .only("title")
            .order_by("title", "id")
        )
        context["holding"] = [custom_list for custom_list in mine if custom_list.has_anime]
        context["addable"] = [custom_list for custom_list in mine if not custom_list.has_anime]
    return context
