"""The 14k anime list CSV (MyAnimeList, scraped March 2023): one row into one AnimeRecord.

Columns: Ranking, Title, Type, Japanese, Aired, Episodes, Duration, Score, Source, Genres,
Themes, Licensors, Producers, Rating, Status, Studios, Members. Score and Members are MAL's
figures, not this site's, and are not imported; neither are Licensors and Producers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from typing import TextIO

from catalog.importers.files import CatalogFileError
from catalog.importers.records import AnimeRecord, BadRow, clean, minutes_of
from catalog.models import AiringStatus, Kind, Season, TagCategory, TitleKind

COLUMNS = (
    "Title",
    "Type",
    "Japanese",
    "Aired",
    "Episodes",
    "Duration",
    "Source",
    "Genres",
    "Themes",
    "Rating",
    "Status",
    "Studios",
)

KINDS = {
    "tv": Kind.TV,
    "movie": Kind.MOVIE,
    "ova": Kind.OVA,
    "ona": Kind.WEB,
    "special": Kind.SPECIAL,
    "music": Kind.MUSIC,
}

STATUSES = {
    "finished airing": AiringStatus.FINISHED,
    "currently airing": AiringStatus.AIRING,
    "not yet aired": AiringStatus.UPCOMING,
}

MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}

# The list was scraped in March 2023 and its "20-May-17" dates come from a spreadsheet export of
# that time, so a two-digit year belongs to the latest century that does not put it after 2023:
# "22" is 2022 but "26" is 1926 (Baguda-jou no Touzoku, a 1926 film).
TWO_DIGIT_YEARS_BEFORE = 2023

_DATE_SHAPES = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"(?P<month>[a-z]{3,9})\.? \d{1,2}, (?P<year>\d{4})",  # Apr 5, 2009
        r"(?P<month>[a-z]{3,9})\.? (?P<year>\d{4})",  # Apr 2005
        r"(?P<year>\d{4})",  # 2008
        r"\d{1,2}-(?P<month>[a-z]{3,9})-(?P<yy>\d{2})",  # 20-May-17
        r"(?P<month>[a-z]{3,9})-(?P<yy>\d{2})",  # Apr-09
    )
]

_DURATION = re.compile(
    r"(?:(?P<hours>\d+) ?hrs?\.?)? ?(?:(?P<minutes>\d+) ?min\.?)? ?(?:(?P<seconds>\d+) ?sec\.?)?"
    r"(?: per ep\.?)?",
    re.IGNORECASE,
)

# "Yamamura Animation, Inc." is one studio, though the column separates studios by commas.
_COMPANY_SUFFIX = re.compile(r"(inc|ltd|co|corp|llc)\.?", re.IGNORECASE)

# Bytes that are not UTF-8 arrive as lone surrogates (the file is read with surrogateescape).
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def read_rows(stream: TextIO) -> Iterator[tuple[str, AnimeRecord | BadRow]]:
    """('line N', record or the reason line N is unusable) for each row after the header.

    A row listed twice (same title, type and Aired) comes out right after its first listing,
    so that the loader merges the two before writing either: the later row wins, and a re-run
    writes nothing, however far apart the two rows are.
    """
    reader = csv.reader(stream)
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise CatalogFileError(f"not the anime list CSV: no column {', '.join(missing)}")
    groups: dict[object, list[tuple[str, dict[str, str] | BadRow]]] = {}
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            groups[line] = [(f"line {line}", BadRow(f"unreadable CSV ({error})"))]
        else:
            if row and len(row) != len(header):
                problem = BadRow(f"{len(row)} columns where the header has {len(header)}")
                groups[line] = [(f"line {line}", problem)]
            elif row:
                fields = dict(zip(header, row, strict=True))
                groups.setdefault(identity(fields), []).append((f"line {line}", fields))
        line = reader.line_num + 1
    for group in groups.values():
        for where, fields in group:
            yield where, fields if isinstance(fields, BadRow) else _parse(fields)


def identity(row: dict[str, str]) -> tuple[str, str, str]:
    """Rows with the same identity are one anime scraped twice (the Members counts differ)."""
    return row["Title"].strip(), row["Type"].strip(), row["Aired"].strip()


def _parse(row: dict[str, str]) -> AnimeRecord | BadRow:
    if _UNDECODABLE.search("".join(row.values())):
        return BadRow("not valid UTF-8")
    try:
        return parse_row(row)
    except BadRow as problem:
        return problem


def parse_row(row: dict[str, str]) -> AnimeRecord:
    """One row of the list, keyed by column name; raises BadRow when it cannot be used."""
    record = AnimeRecord(
        title=clean(row["Title"]),
        source_material=clean(row["Source"]),
        age_rating=clean(row["Rating"]),
        identity=identity(row),
    )
    record.kind = _choice(record, "type", row["Type"], KINDS)
    record.airing_status = _choice(record, "status", row["Status"], STATUSES)
    record.episodes = parse_count(row["Episodes"], record, "episodes")
    record.episode_minutes = _read(record, "duration", row["Duration"], parse_duration)
    aired = _read(record, "aired", row["Aired"], parse_aired)
    if aired:
        (record.start_year, start_month), (record.end_year, end_month) = aired
        record.start_season = Season.of_month(start_month) if start_month else None
        record.end_season = Season.of_month(end_month) if end_month else None
    record.add_title(row["Japanese"], TitleKind.JAPANESE)
    for name in split_names(row["Genres"]):
        record.add_tag(undouble(name), TagCategory.GENRE)
    for name in split_names(row["Themes"]):
        record.add_tag(undouble(name), TagCategory.THEME)
    for name in split_names(row["Studios"]):
        record.add_studio(name)
    return record.validate()


def _choice(record: AnimeRecord, column: str, value: str, choices: dict[str, str]) -> str | None:
    text = clean(value)
    if text and text.lower() not in choices:
        record.warnings.append(f"{column} {text!r} is not one the importer knows; left empty")
    return choices.get(text.lower())


def _read[T](record: AnimeRecord, column: str, value: str, parse: Callable[[str], T]) -> T | None:
    text = clean(value)
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        record.warnings.append(f"{column} {text!r} is unreadable; left empty")
        return None


def parse_count(value: str, record: AnimeRecord, column: str) -> int | None:
    """'64' → 64, '1,787' → 1787; 'Unknown' and 0 → None; a negative count rejects the row."""
    number = _read(record, column, value, lambda text: int(text.replace(",", "")))
    if number is not None and number < 0:
        raise BadRow(f"{column} {number} is impossible")
    return number or None


def parse_duration(text: str) -> int | None:
    """Minutes per episode: '24 min. per ep.' → 24, '1 hr. 44 min.' → 104, '30 sec.' → 1."""
    match = _DURATION.fullmatch(text.strip())
    if not match or not any(match.groupdict().values()):
        raise ValueError(text)
    hours, minutes, seconds = (int(match[name] or 0) for name in ("hours", "minutes", "seconds"))
    return minutes_of(hours * 3600 + minutes * 60 + seconds)


type When = tuple[int | None, int | None]  # (year, month)


def parse_aired(text: str) -> tuple[When, When]:
    """((start year, month), (end year, month)) from every shape the list uses.

    'Apr 5, 2009 to Jul 4, 2010', 'Apr 2005 to Mar 2006', '2008 to 2009', 'Apr 10, 2022 to ?'
    and mixtures of those; single dates '20-May-17', 'Apr-09', '2008'. A single date says when
    the anime started, not when it ended, so its end is unknown. Month is None when only the
    year is given.
    """
    start, _, end = text.partition(" to ")
    end = end.strip()
    return parse_date(start), (parse_date(end) if end and end != "?" else (None, None))


def parse_date(text: str) -> When:
    for shape in _DATE_SHAPES:
        if match := shape.fullmatch(text.strip()):
            parts = match.groupdict()
            month = MONTHS.get(parts["month"][:3].lower()) if parts.get("month") else None
            if parts.get("month") and month is None:
                raise ValueError(text)
            if parts.get("yy"):
                return expand_year(int(parts["yy"])), month
            return int(parts["year"]), month
    raise ValueError(text)


def expand_year(two_digits: int, before: int = TWO_DIGIT_YEARS_BEFORE) -> int:
    """17 → 2017, 34 → 1934: the latest century that does not put the year after `before`."""
    year = before - before % 100 + two_digits
    return year if year <= before else year - 100


def split_names(value: str) -> list[str]:
    """'Sunrise,Bones' → ['Sunrise', 'Bones'], without placeholders ("add some", "None found")."""
    names: list[str] = []
    for part in value.split(","):
        name = clean(part)
        if names and _COMPANY_SUFFIX.fullmatch(name):
            names[-1] = f"{names[-1]}, {name}"
        elif name:
            names.append(name)
    return names


def undouble(name: str) -> str:
    """'Gag HumorGag Humor' → 'Gag Humor': the list writes every genre and theme twice."""
    half, odd = divmod(len(name), 2)
    if not odd and name[:half] == name[half:]:
        return name[:half]
    return name
