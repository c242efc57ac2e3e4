"""MyAnimeList's XML list format, both ways: read a user's export into their list, write theirs out.

The format is what MyAnimeList's "Export" gives and every list site imports::

    <myanimelist>
      <myinfo><user_name>…</user_name><user_export_type>1</user_export_type>…</myinfo>
      <anime>
        <series_animedb_id>9253</series_animedb_id>
        <series_title><![CDATA[Steins;Gate]]></series_title>
        <series_type>TV</series_type> <series_episodes>24</series_episodes>
        <my_watched_episodes>24</my_watched_episodes>
        <my_start_date>2011-04-06</my_start_date> <my_finish_date>0000-00-00</my_finish_date>
        <my_score>9</my_score> <my_status>Completed</my_status>
        <my_comments><![CDATA[…]]></my_comments> <my_times_watched>1</my_times_watched>
        <update_on_import>1</update_on_import> …
      </anime>
    </myanimelist>

An import applies the file whatever `update_on_import` says: importing here is how a user brings
their list up to date, and the summary says what changed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from catalog.importers import csv_list
from catalog.models import Anime, AnimeSource, AnimeTitle, Kind
from catalog.search import SearchName
from userlists.models import ListEntry, Status

MAL_ANIME_URL = "https://myanimelist.net/anime/"
_MAL_ID = re.compile(re.escape(MAL_ANIME_URL) + r"(\d+)")

# MyAnimeList's statuses, by name and by the number its older exports use. It has "On-Hold",
# which we don't: a paused anime is still one being watched.
STATUSES = {
    "watching": Status.WATCHING,
    "1": Status.WATCHING,
    "completed": Status.WATCHED,
    "2": Status.WATCHED,
    "on-hold": Status.WATCHING,
    "3": Status.WATCHING,
    "dropped": Status.DROPPED,
    "4": Status.DROPPED,
    "plan to watch": Status.WANT_TO_WATCH,
    "6": Status.WANT_TO_WATCH,
}
ON_HOLD = frozenset({"on-hold", "3"})
MAL_STATUS = {
    Status.WATCHED: "Completed",
    Status.WATCHING: "Watching",
    Status.WANT_TO_WATCH: "Plan to Watch",
    Status.DROPPED: "Dropped",
}
# MyAnimeList's types are the demo list's (it is MAL's too), plus one newer type.
KINDS = {**csv_list.KINDS, "tv special": Kind.SPECIAL}
MAL_KIND = {Kind.TV: "TV", Kind.MOVIE: "Movie", Kind.OVA: "OVA", Kind.WEB: "ONA"}
MAL_KIND |= {Kind.SPECIAL: "Special", Kind.MUSIC: "Music"}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters XML 1.0 cannot hold at all, not even escaped (most control characters).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_PROGRESS = 100_000
MAX_REWATCHES = 32_767  # the rewatch_count column's limit
MAX_NOTES = ListEntry._meta.get_field("notes").max_length


class ListFileError(ValueError):
    """The file cannot be imported; the message tells the user why, and nothing was imported."""


@dataclass(frozen=True)
class MalEntry:
    """One <anime> of a MyAnimeList file, in our terms."""

    mal_id: int | None
    title: str
    kind: str | None
    episodes: int | None
    status: str
    on_hold: bool
    progress: int
    rating: Decimal | None
    started_on: date | None
    finished_on: date | None
    rewatch_count: int
    notes: str

    def changes(self) -> dict[str, Any]:
        """The ListEntry fields the entry sets, for `ListEntry.objects.save_entry`."""
        return {
            "status": self.status,
            "progress": self.progress,
            "rating": self.rating,
            "started_on": self.started_on,
            "finished_on": self.finished_on,
            "rewatch_count": self.rewatch_count,
            "notes": self.notes,
        }


def parse_list(data: bytes) -> list[MalEntry]:
    """The anime entries of a MyAnimeList XML export.

    The file comes from a user, so a DOCTYPE is refused outright: MyAnimeList's exports have
    none, and with none there are no entities to expand (billion laughs) or fetch (XXE).
    """
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ListFileError(
            "The file declares a DOCTYPE or entities, which a MyAnimeList export never does."
        ) from error
    except ET.ParseError as error:
        raise ListFileError(f"The file is not well-formed XML ({error}).") from error
    if root.tag != "myanimelist":
        raise ListFileError("This is not a MyAnimeList list export: it has no <myanimelist>.")
    if (root.findtext("myinfo/user_export_type") or "1").strip() != "1":
        raise ListFileError("This is a MyAnimeList manga list; import your anime list instead.")
    return [_entry(element) for element in root.findall("anime")]


def _entry(element: ET.Element) -> MalEntry:
    title = " ".join((element.findtext("series_title") or "").split())

    def text(tag: str) -> str:
        return (element.findtext(tag) or "").strip()

    def fail(tag: str, expected: str) -> ListFileError:
        return ListFileError(
            f"The entry “{title or '(no title)'}” has {tag} “{text(tag)}”; expected {expected}."
        )

    def number(tag: str, maximum: int) -> int:
        value = text(tag) or "0"
        if not value.isascii() or not value.isdigit() or int(value) > maximum:
            raise fail(tag, f"a whole number from 0 to {maximum}")
        return int(value)

    def day(tag: str) -> date | None:
        value = text(tag)
        if value and not _DATE.fullmatch(value):
            raise fail(tag, "a date as YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            # 0000-00-00 is MyAnimeList's "no date"; 2011-04-00 a month without its day,
            # which a date column cannot hold.
            return None

    status = text("my_status").casefold()
    if status not in STATUSES:
        raise fail("my_status", "Completed, Watching, On-Hold, Dropped or Plan to Watch")
    mal_id = text("series_animedb_id")
    episodes = text("series_episodes")
    score = number("my_score", 10)
    started_on, finished_on = day("my_start_date"), day("my_finish_date")
    if started_on and finished_on and finished_on < started_on:
        finished_on = None  # the start is the likelier of the two to be right
    return MalEntry(
        mal_id=int(mal_id) if mal_id.isascii() and mal_id.isdigit() and int(mal_id) else None,
        title=title,
        kind=KINDS.get(text("series_type").casefold()),
        episodes=int(episodes) if episodes.isascii() and episodes.isdigit() else None,
        status=STATUSES[status],
        on_hold=status in ON_HOLD,
        progress=number("my_watched_episodes", MAX_PROGRESS),
        # MyAnimeList scores 1 to 10, we rate 0.5 to 5 in halves; 0 is "not scored".
        rating=Decimal(score) / 2 if score else None,
        started_on=started_on,
        finished_on=finished_on,
        rewatch_count=number("my_times_watched", MAX_REWATCHES),
        notes=text("my_comments")[:MAX_NOTES],
    )


@dataclass
class ImportSummary:
    """What an import did, entry by entry, for the page that reports it."""

    imported: list[Anime] = field(default_factory=list)
    updated: list[Anime] = field(default_factory=list)
    unchanged: list[Anime] = field(default_factory=list)
    not_matched: list[str] = field(default_factory=list)
    # Entries naming an anime that an earlier entry of the file already set.
    repeated: list[str] = field(default_factory=list)
    on_hold: int = 0


@transaction.atomic
def import_entries(user, entries: list[MalEntry]) -> ImportSummary:
    """Bring the user's list in line with the file's entries, all of them or, on error, none.

    Each entry is matched to an anime (`match_anime`) and saved through
    `ListEntry.objects.save_entry`, which keeps the anime's figures exact; an entry whose list
    row already says the same is left alone, so a second run changes nothing.
    """
    summary = ImportSummary()
    matches = match_anime(entries)
    anime = Anime.objects.defer("synopsis").in_bulk({pk for pk in matches if pk is not None})
    by_anime: dict[int, MalEntry] = {}
    for entry, anime_id in zip(entries, matches, strict=True):
        if anime_id is None:
            summary.not_matched.append(entry.title or "(no title)")
        elif anime_id in by_anime:
            summary.repeated.append(entry.title)
        else:
            by_anime[anime_id] = entry
    existing = ListEntry.objects.select_for_update().filter(user=user, anime__in=by_anime)
    current = {row.anime_id: row for row in existing}
    # In the order of the anime, as every import saves them, so two imports touching the same
    # anime's figures lock them in the same order and never deadlock.
    for anime_id in sorted(by_anime):
        entry, target = by_anime[anime_id], anime[anime_id]
        summary.on_hold += entry.on_hold
        row = current.get(anime_id)
        if row is not None and _same(row, target, entry):
            summary.unchanged.append(target)
            continue
        try:
            ListEntry.objects.save_entry(user, target, **entry.changes())
        except ValidationError as error:
            raise ListFileError(
                f"The entry “{entry.title}” cannot be saved: {' '.join(error.messages)}"
            ) from error
        (summary.updated if row is not None else summary.imported).append(target)
    return summary


def _same(row: ListEntry, anime: Anime, entry: MalEntry) -> bool:
    wanted = entry.changes()
    # save_entry stops progress at the last episode, so the file's 30 of a 24-episode series is 24.
    if anime.episodes is not None:
        wanted["progress"] = min(entry.progress, anime.episodes)
    return all(getattr(row, name) == value for name, value in wanted.items())


def match_anime(entries: list[MalEntry]) -> list[int | None]:
    """The catalog anime each entry names (None when none), in a fixed number of queries.

    By MyAnimeList id where the catalog knows the anime's MyAnimeList page; otherwise by title,
    compared in the catalog's normal form (case, accents and punctuation dropped) with each
    anime's main and alternative titles.
    """
    urls = {entry.mal_id: f"{MAL_ANIME_URL}{entry.mal_id}" for entry in entries if entry.mal_id}
    by_url = dict(AnimeSource.objects.filter(url__in=urls.values()).values_list("url", "anime_id"))
    matches = [by_url.get(urls.get(entry.mal_id)) for entry in entries]
    unmatched = [n for n, anime_id in enumerate(matches) if anime_id is None and entries[n].title]
    names = search_names([entries[n].title for n in unmatched]) if unmatched else []
    candidates = _candidates({name for name in names if name})
    for n, name in zip(unmatched, names, strict=True):
        if name in candidates:
            matches[n] = min(candidates[name], key=_preference(entries[n])).pk
    return matches


@dataclass(frozen=True)
class _Candidate:
    pk: int
    kind: str | None
    episodes: int | None
    popularity: int | None
    by_main_title: bool


def _candidates(names: set[str]) -> dict[str, list[_Candidate]]:
    """The anime whose main or alternative title has each normal form."""
    found: dict[str, list[_Candidate]] = {}
    for by_main_title, rows in [
        (
            True,
            Anime.objects.filter(search_name__in=names).values_list(
                "search_name", "id", "kind", "episodes", "popularity"
            ),
        ),
        (
            False,
            AnimeTitle.objects.filter(search_name__in=names).values_list(
                "search_name", "anime_id", "anime__kind", "anime__episodes", "anime__popularity"
            ),
        ),
    ]:
        for name, *fields in rows:
            found.setdefault(name, []).append(_Candidate(*fields, by_main_title=by_main_title))
    return found


def _preference(entry: MalEntry) -> Callable[[_Candidate], tuple]:
    """When a title names several anime: a main title beats an alternative one, then the file's
    type and episode count decide (a TV series and its film often share a title), then
    popularity."""

    def key(candidate: _Candidate) -> tuple:
        return (
            not candidate.by_main_title,
            candidate.kind != entry.kind,
            candidate.episodes != entry.episodes,
            candidate.popularity is None,
            candidate.popularity or 0,
            candidate.pk,
        )

    return key


def search_names(titles: list[str]) -> list[str]:
    """Each title in the catalog's normal form, computed by the same SQL function as the
    search_name columns (catalog.search), so equal means equal there too. One query for all."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {SearchName.function}(title)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS titles(title, n) ORDER BY n",
            [titles],
        )
        return [name for (name,) in cursor.fetchall()]


def mal_id_of(url: str | None) -> int:
    """The MyAnimeList id in an anime page URL; 0, as the format says "unknown", without one."""
    found = _MAL_ID.match(url or "")
    return int(found[1]) if found else 0


def write_list(username: str, entries: list[ListEntry]) -> bytes:
    """The entries as a MyAnimeList XML export, with `update_on_import` on so that importing it
    into MyAnimeList updates the entries already there.

    Each entry needs its anime and `mal_url` (its MyAnimeList page, or None) loaded, as
    `list_export.entries_for_export` does.
    """
    root = ET.Element("myanimelist")
    counts = dict.fromkeys(Status, 0)
    for entry in entries:
        counts[entry.status] += 1
    _children(
        ET.SubElement(root, "myinfo"),
        user_id=0,
        user_name=username,
        user_export_type=1,
        user_total_anime=len(entries),
        user_total_watching=counts[Status.WATCHING],
        user_total_completed=counts[Status.WATCHED],
        user_total_onhold=0,
        user_total_dropped=counts[Status.DROPPED],
        user_total_plantowatch=counts[Status.WANT_TO_WATCH],
    )
    for entry in entries:
        anime = entry.anime
        _children(
            ET.SubElement(root, "anime"),
            series_animedb_id=mal_id_of(entry.mal_url),
            series_title=anime.title,
            series_type=MAL_KIND.get(anime.kind, "Unknown"),
            series_episodes=anime.episodes or 0,
            my_id=0,
            my_watched_episodes=entry.progress,
            my_start_date=_mal_date(entry.started_on),
            my_finish_date=_mal_date(entry.finished_on),
            my_rated="",
            my_score=int(entry.rating * 2) if entry.rating else 0,
            my_storage="",
            my_storage_value="0.00",
            my_status=MAL_STATUS[entry.status],
            my_comments=entry.notes,
            my_times_watched=entry.rewatch_count,
            my_rewatch_value="",
            my_priority="LOW",
            my_tags="",
            my_rewatching=0,
            my_rewatching_ep=0,
            my_discuss=1,
            my_sns="default",
            update_on_import=1,
        )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _children(parent: ET.Element, **values: object) -> None:
    for tag, value in values.items():
        ET.SubElement(parent, tag).text = _NOT_XML.sub("", str(value))


def _mal_date(day: date | None) -> str:
    return day.isoformat() if day else "0000-00-00"
