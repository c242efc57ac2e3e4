"""What the "my anime" widget and the User Stats block show: shared by the anime page's template
tags and by the views that answer the widget's own requests."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from catalog.models import Anime
from userlists.models import RATING_CHOICES, AnimeListStats, ListEntry, Status


def my_anime_context(request: HttpRequest, anime: Anime, **extra: Any) -> dict[str, Any]:
    user = request.user
    entry = None
    if user.is_authenticated:
        entry = ListEntry.objects.filter(user=user, anime=anime).select_related("anime").first()
    return {
        "anime": anime,
        "entry": entry,
        "user": user,
        "statuses": Status.choices,
        "ratings": RATING_CHOICES,
        **extra,
    }


def user_stats_context(anime: Anime) -> dict[str, Any]:
    stats = AnimeListStats.objects.filter(anime=anime).first() or AnimeListStats(anime=anime)
    return {"stats_by_status": stats.by_status()}
