from __future__ import annotations

from typing import Any

from django import template

from catalog.models import Anime
from userlists.models import ListEntry, Status
from userlists.widget import my_anime_context, recommendations_context, user_stats_context

register = template.Library()


@register.inclusion_tag("userlists/my_anime.html#my-anime", takes_context=True)
def my_anime(context: template.Context, anime: Anime) -> dict[str, Any]:
    """The "my anime" widget of an anime page: status buttons, progress, rating."""
    return my_anime_context(context["request"], anime)


@register.inclusion_tag("userlists/my_anime.html#user-stats")
def user_stats(anime: Anime) -> dict[str, Any]:
    """How many lists hold the anime in each status."""
    return user_stats_context(anime)


@register.inclusion_tag("userlists/list_stats.html")
def user_list_stats(owner) -> dict[str, Any]:
    """A profile's list figures: per status, episodes and hours watched, ratings. The caller
    checks that the viewer may see the list."""
    entries = ListEntry.objects.filter(user=owner)
    summary = entries.summary()
    distribution = entries.rating_distribution()
    most = max((count for _, count in distribution), default=0)
    return {
        "owner": owner,
        "summary": summary,
        "hours": round(summary["minutes"] / 60, 1),
        "by_status": [(status, summary[status.value]) for status in Status],
        "distribution": [
            (rating, count, count * 100 // most if most else 0) for rating, count in distribution
        ],
    }


@register.inclusion_tag("userlists/recommendations.html", takes_context=True)
def anime_recommendations(context: template.Context, anime: Anime) -> dict[str, Any]:
    """ "If you like this anime, you might like…": one query, plus one for a logged-in reader's
    marks ("On your list: Watching"). Anonymous pages are cached, so marks are for members."""
    return recommendations_context(context["request"].user, anime)
