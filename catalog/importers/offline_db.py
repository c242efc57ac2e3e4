"""anime-offline-database (github.com/manami-project/anime-offline-database): entries as records.

The current release is JSON lines: a first line of metadata (license, lastUpdate, …), then one
anime per line. Older releases (and the `.json` files still published) are one document whose
"data" array holds the same entries; both are read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import BinaryIO

from catalog.importers.files import CatalogFileError
from catalog.importers.records import (
    ANIME_FIELDS,
    AnimeRecord,
    BadRow,
    clean,
    display_name,
    minutes_of,
)
from catalog.models import AiringStatus, Kind, Season, TitleKind

KINDS = {
    "TV": Kind.TV,
    "MOVIE": Kind.MOVIE,
    "OVA": Kind.OVA,
    "ONA": Kind.WEB,
    "SPECIAL": Kind.SPECIAL,
}

STATUSES = {
    "FINISHED": AiringStatus.FINISHED,
    "ONGOING": AiringStatus.AIRING,
    "UPCOMING": AiringStatus.UPCOMING,
}

SEASONS = {
    "WINTER": Season.WINTER,
    "SPRING": Season.SPRING,
    "SUMMER": Season.SUMMER,
    "FALL": Season.FALL,
}

# The format says when an anime started, not when it ended, and has no source or age rating.
PROVIDES = tuple(
    name
    for name in ANIME_FIELDS
    if name not in {"end_season", "end_year", "source_material", "age_rating"}
)

# Values the schema allows that mean "unknown" rather than something to warn about.
UNKNOWN = ("UNKNOWN", "UNDEFINED")


def read_entries(stream: BinaryIO) -> Iterator[tuple[str, AnimeRecord | BadRow]]:
    """('line N' or 'entry N', record or the reason it is unusable) for each anime."""
    lines = ((number, line) for number, line in enumerate(stream, start=1) if line.strip())
    number, first = next(lines, (0, b""))
    try:
        head = json.loads(first)
    except ValueError:
        head = None
    if first.strip() == b"{" or (isinstance(head, dict) and isinstance(head.get("data"), list)):
        # One document, pretty-printed or on a single line: its "data" array holds the anime.
        yield from _document_entries(first + b"".join(line for _, line in lines))
        return
    if first and not _is_metadata(head):
        yield f"line {number}", _parse_line(first)
    for number, line in lines:
        yield f"line {number}", _parse_line(line)


def _is_metadata(head: object) -> bool:
    return isinstance(head, dict) and "sources" not in head and "title" not in head


def _document_entries(document: bytes) -> Iterator[tuple[str, AnimeRecord | BadRow]]:
    try:
        data = json.loads(document)["data"]
    except (ValueError, KeyError, TypeError):
        raise CatalogFileError(
            "not an anime-offline-database file: no readable data array"
        ) from None
    for number, entry in enumerate(data, start=1):
        yield f"entry {number}", _parse_json(entry)


def _parse_line(line: bytes) -> AnimeRecord | BadRow:
    try:
        entry = json.loads(line.strip())
    except UnicodeDecodeError:
        return BadRow("not valid UTF-8")
    except json.JSONDecodeError as error:
        return BadRow(f"not valid JSON ({error.msg} at column {error.colno})")
    return _parse_json(entry)


def _parse_json(entry: object) -> AnimeRecord | BadRow:
    try:
        return parse_entry(entry)
    except BadRow as problem:
        return problem


def parse_entry(entry: object) -> AnimeRecord:
    """One anime of the database; raises BadRow when it cannot be used."""
    if not isinstance(entry, dict):
        raise BadRow("not a JSON object")
    record = AnimeRecord(title=clean(entry.get("title")), provides=PROVIDES)
    record.kind = _choice(record, "type", entry.get("type"), KINDS)
    record.airing_status = _choice(record, "status", entry.get("status"), STATUSES)
    record.episodes = _number(record, "episodes", entry.get("episodes")) or None
    season = entry.get("animeSeason")
    if isinstance(season, dict):
        record.start_season = _choice(record, "season", season.get("season"), SEASONS)
        record.start_year = _number(record, "year", season.get("year"))
    duration = entry.get("duration")
    if isinstance(duration, dict):
        seconds = _number(record, "duration", duration.get("value"), whole=False)
        record.episode_minutes = minutes_of(seconds or 0)
    for synonym in _strings(record, entry, "synonyms"):
        record.add_title(synonym, TitleKind.SYNONYM)
    for studio in _strings(record, entry, "studios"):
        record.add_studio(display_name(clean(studio)))
    for tag in _strings(record, entry, "tags"):
        record.add_tag(display_name(clean(tag)))
    record.sources = [url.strip() for url in _strings(record, entry, "sources") if url.strip()]
    record.related = [url.strip() for url in _strings(record, entry, "relatedAnime") if url.strip()]
    return record.validate()


def _choice(record: AnimeRecord, name: str, value: object, choices: dict[str, str]) -> str | None:
    if value is None or value in UNKNOWN:
        return None
    choice = choices.get(value) if isinstance(value, str) else None
    if choice is None:
        record.warnings.append(f"{name} {value!r} is not in the schema; left empty")
    return choice


def _number(record: AnimeRecord, name: str, value: object, *, whole: bool = True) -> float | None:
    """The number (an int when `whole`), or None with a warning; a negative one rejects the entry."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or (whole and value != int(value))
    ):
        record.warnings.append(
            f"{name} {value!r} is not a {'whole ' if whole else ''}number; left empty"
        )
        return None
    if value < 0:
        raise BadRow(f"{name} {value} is impossible")
    return int(value) if whole else value


def _strings(record: AnimeRecord, entry: dict, name: str) -> list[str]:
    values = entry.get(name) or []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        record.warnings.append(f"{name} is not a list of strings; ignored")
        return []
    return values
