"""What every importer produces: one anime as a file describes it, cleaned and checked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.db import models

from catalog.models import MAX_TITLE_LENGTH, Anime, AnimeSource, Studio, Tag, TagCategory

# How the files say "unknown"; compared case-insensitively.
PLACEHOLDERS = frozenset({"", "add some", "none found", "none", "unknown", "n/a", "not available"})

YEARS = range(1900, 2101)  # the range the anime_years_plausible constraint accepts

_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"[ \t\r\n]+")
# Words a title-cased name keeps in lower case ("Slice of Life").
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"]
)
_WORD_START = re.compile(r"(^|[-/.])(\w)")


ANIME_FIELDS = (
    "title",
    "kind",
    "episodes",
    "episode_minutes",
    "airing_status",
    "start_season",
    "start_year",
    "end_season",
    "end_year",
    "source_material",
    "age_rating",
)


class BadRow(ValueError):
    """A line the importer cannot use; the message says why."""


def clean(value: object) -> str:
    """The text with its whitespace tidied, or '' when it is a placeholder for "unknown"."""
    if not isinstance(value, str):
        return ""
    # Only ASCII whitespace: a Japanese title's ideographic space (U+3000) is part of it.
    text = _SPACES.sub(" ", value).strip()
    return "" if text.casefold() in PLACEHOLDERS else text


def normalise_title(title: str) -> str:
    """'Kämpfer' → 'kampfer', 'Steins;Gate' → 'steins gate': case, accents and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", title)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    words = " ".join(word for word in _NON_WORD.split(plain) if word)
    # A title made only of symbols ("◯") keeps them rather than becoming empty.
    return words or " ".join(plain.split())


def import_key(title: str, kind: str | None, start_year: int | None) -> str:
    """How a re-import recognises an anime it wrote before: 'blame|web|2003'.

    The title alone is not enough: one title can name a TV series and its film, or a 1990s
    series and its remake. Title, kind and first year together tell those apart, and survive
    what differs between scrapes and sites: capitals, accents, and punctuation ("Steins;Gate" is
    "Steins Gate"). The price is that two anime whose titles differ only by punctuation, with
    the same kind and year, share a key; the loader then qualifies the later one (see
    `CatalogLoader`). A file that names its anime by URL (anime-offline-database) is matched by
    those URLs first, so the key only matters the first time such an anime is seen.
    """
    return f"{normalise_title(title)[:MAX_TITLE_LENGTH]}|{kind or '?'}|{start_year or '?'}"


def minutes_of(seconds: float) -> int | None:
    """Whole minutes, rounded half up, at least 1 for anything that lasts; 0 means unknown."""
    if seconds <= 0:
        return None
    return max(1, int(seconds / 60 + 0.5))


def display_name(name: str) -> str:
    """'slice of life' → 'Slice of Life', 'a-1 pictures' → 'A-1 Pictures'.

    anime-offline-database writes studios and tags in lower case; a name with any capital
    letter is taken to be written as its owner writes it and kept.
    """
    if name != name.lower():
        return name
    words = name.split(" ")
    return " ".join(
        word if index and word in _SMALL_WORDS else _WORD_START.sub(_upper, word)
        for index, word in enumerate(words)
    )


def _upper(match: re.Match[str]) -> str:
    return match[1] + match[2].upper()


def _max_length(model: type[models.Model], field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


@dataclass
class AnimeRecord:
    """One anime from a file. Unknown values are None (or '' for text), as in the catalog."""

    title: str
    kind: str | None = None
    episodes: int | None = None
    episode_minutes: int | None = None
    airing_status: str | None = None
    start_season: str | None = None
    start_year: int | None = None
    end_season: str | None = None
    end_year: int | None = None
    source_material: str = ""
    age_rating: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # other title → TitleKind
    studios: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)  # name → TagCategory
    sources: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    # Rows of one file with the same identity are the same anime listed twice.
    identity: Hashable | None = None
    # The Anime fields the file's format has; an anime's other fields are left as they are.
    provides: tuple[str, ...] = ANIME_FIELDS
    warnings: list[str] = field(default_factory=list)

    def anime_fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.provides}

    @property
    def key(self) -> str:
        return import_key(self.title, self.kind, self.start_year)

    def add_title(self, title: object, kind: str) -> None:
        text = clean(title)
        if text and text.casefold() != self.title.casefold():
            self.titles.setdefault(text, kind)

    def add_studio(self, name: str) -> None:
        if name and name.lower() not in {studio.lower() for studio in self.studios}:
            self.studios.append(name)

    def add_tag(self, name: str, category: str = TagCategory.TAG) -> None:
        if name and name.lower() not in {tag.lower() for tag in self.tags}:
            self.tags[name] = category

    def validate(self) -> AnimeRecord:
        """Reject what the database would refuse; drop, with a warning, what is merely too long."""
        if not self.title:
            raise BadRow("no title")
        if len(self.title) > MAX_TITLE_LENGTH:
            raise BadRow(f"title longer than {MAX_TITLE_LENGTH} characters")
        for name in ("episodes", "episode_minutes"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise BadRow(f"{name.replace('_', ' ')} {value} is impossible")
        for year in (self.start_year, self.end_year):
            if year is not None and year not in YEARS:
                raise BadRow(f"year {year} is impossible")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise BadRow(f"ends in {self.end_year}, before it starts in {self.start_year}")
        for name in ("source_material", "age_rating"):
            if len(getattr(self, name)) > _max_length(Anime, name):
                self.warnings.append(f"{name.replace('_', ' ')} too long; left empty")
                setattr(self, name, "")
        titles = self._short_enough("other title", list(self.titles), MAX_TITLE_LENGTH)
        self.titles = {title: self.titles[title] for title in titles}
        tags = self._short_enough("tag", list(self.tags), _max_length(Tag, "name"))
        self.tags = {tag: self.tags[tag] for tag in tags}
        self.studios = self._short_enough("studio", self.studios, _max_length(Studio, "name"))
        self.sources = self._short_enough(
            "source URL", self.sources, _max_length(AnimeSource, "url")
        )
        return self

    def _short_enough(self, what: str, values: list[str], max_length: int) -> list[str]:
        kept = [value for value in values if len(value) <= max_length]
        if len(kept) < len(values):
            self.warnings.append(f"{what} longer than {max_length} characters dropped")
        return kept
