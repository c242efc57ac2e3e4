"""A user's list as a file to take elsewhere: MyAnimeList XML (userlists.mal) or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from catalog.models import AnimeSource
from userlists.mal import MAL_ANIME_URL
from userlists.models import ListEntry

CSV_COLUMNS = [
    "title",
    "status",
    "progress",
    "episodes",
    "rating",
    "started",
    "finished",
    "rewatched",
    "notes",
    "url",
]


def entries_for_export(user) -> QuerySet[ListEntry]:
    """The user's whole list with each anime and its MyAnimeList page (`mal_url`), in one query."""
    mal_url = (
        AnimeSource.objects.filter(anime=OuterRef("anime_id"), url__startswith=MAL_ANIME_URL)
        .order_by("url")
        .values("url")[:1]
    )
    return (
        ListEntry.objects.filter(user=user)
        .select_related("anime")
        .defer("anime__synopsis")
        .annotate(mal_url=Subquery(mal_url))
        .order_by("anime__search_name", "anime_id")
    )


def write_csv(entries: list[ListEntry], absolute_url: Callable[[str], str]) -> str:
    """The entries as CSV, one row each (CSV_COLUMNS); `absolute_url` makes a path a full URL."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        anime = entry.anime
        writer.writerow(
            [
                anime.title,
                entry.get_status_display(),
                entry.progress,
                _blank_if_none(anime.episodes),
                _blank_if_none(entry.rating),
                _blank_if_none(entry.started_on),
                _blank_if_none(entry.finished_on),
                entry.rewatch_count,
                entry.notes,
                absolute_url(anime.get_absolute_url()),
            ]
        )
    return out.getvalue()


def export_filename(username: str, extension: str, today: date) -> str:
    return f"animedex-{username}-{today.isoformat()}.{extension}"


def _blank_if_none(value: object) -> object:
    return "" if value is None else value
