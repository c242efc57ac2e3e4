from __future__ import annotations

from typing import Any

from django import template

from catalog.models import Anime
from reviews.models import Review

register = template.Library()

ANIME_PAGE_REVIEWS = 3
PROFILE_REVIEWS = 5


@register.inclusion_tag("reviews/blocks.html#anime-reviews", takes_context=True)
def anime_reviews(context: template.Context, anime: Anime) -> dict[str, Any]:
    """The anime page's reviews: the most helpful few, how many there are, and a link to write
    one (or to the reader's own)."""
    user = context["request"].user
    mine = None
    if user.is_authenticated:
        mine = anime.reviews.filter(author=user).only("pk").first()
    reviews, count = (
        anime.reviews.visible()
        .for_cards()
        .sorted_by("helpful")
        .first_with_total(ANIME_PAGE_REVIEWS)
    )
    return {"anime": anime, "user": user, "mine": mine, "reviews": reviews, "count": count}


@register.inclusion_tag("reviews/blocks.html#user-reviews", takes_context=True)
def user_reviews(context: template.Context, owner) -> dict[str, Any]:
    """A profile's latest reviews. Reviews are public whatever the list's privacy; the owner
    also sees the ones moderators hid, with the reason."""
    reviews, count = (
        Review.objects.visible_to(context["request"].user)
        .filter(author=owner)
        .for_cards()
        .sorted_by("newest")
        .first_with_total(PROFILE_REVIEWS)
    )
    return {"owner": owner, "reviews": reviews, "count": count, "show_anime": True}
