"""What userlists' blocks on the anime page show ("my anime" widget, User Stats, recommendations):
shared by the anime page's template tags and by the views that answer the widget's own requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from catalog.models import Anime
from userlists.models import (
    RATING_CHOICES,
    AnimeListStats,
    ListEntry,
    Recommendation,
    Status,
)
from userlists.recommendations import SHOWN


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


@dataclass(frozen=True)
class RecommendationCard:
    anime: Anime
    reason: str  # "12 users who watched BLAME! also watched this", "Shares tags: …"
    on_your_list: str = ""  # the reader's status of it ("Watching"), if it is on their list


def recommendations_context(user: Any, anime: Anime) -> dict[str, Any]:
    recommendations = list(Recommendation.objects.for_anime_page(anime)[:SHOWN])
    statuses: dict[int, str] = {}
    if recommendations and user.is_authenticated:
        statuses = dict(
            ListEntry.objects.filter(
                user=user, anime__in=[r.recommended_id for r in recommendations]
            ).values_list("anime_id", "status")
        )
    labels = dict(Status.choices)
    cards = [
        RecommendationCard(
            anime=r.recommended,
            reason=r.explanation(anime.title),
            on_your_list=labels.get(statuses.get(r.recommended_id, ""), ""),
        )
        for r in recommendations
    ]
    return {"anime": anime, "cards": cards}
