"""The parsers on the shapes the real files use; no database needed."""

from __future__ import annotations

import pytest

from catalog.importers.csv_list import (
    expand_year,
    parse_aired,
    parse_duration,
    parse_row,
    split_names,
    undouble,
)
from catalog.importers.offline_db import parse_entry
from catalog.importers.records import (
    PLACEHOLDERS,
    BadRow,
    clean,
    display_name,
    import_key,
    normalise_title,
)

# The BLAME! row of the list, as the data README quotes it.
BLAME = {
    "Ranking": "9433",
    "Title": "Blame!",
    "Type": "ONA",
    "Japanese": "BLAME (ブラム!)",
    "Aired": "24-Oct-03",
    "Episodes": "6",
    "Duration": "6 min. per ep.",
    "Score": "5.91",
    "Source": "Manga",
    "Genres": "Sci-FiSci-Fi",
    "Themes": "MechaMecha",
    "Licensors": "Media Blasters",
    "Producers": "None found,add some",
    "Rating": "R+ - Mild Nudity",
    "Status": "Finished Airing",
    "Studios": "Group TAC",
    "Members": "28,947",
}


def row(**changes: str) -> dict[str, str]:
    return {**BLAME, **changes}


@pytest.mark.parametrize(
    ("aired", "start", "end"),
    [
        ("Apr 5, 2009 to Jul 4, 2010", (2009, 4), (2010, 7)),
        ("Apr 10, 2022 to ?", (2022, 4), (None, None)),
        ("20-May-17", (2017, 5), (None, None)),
        ("8-Jan-21", (2021, 1), (None, None)),
        ("2008", (2008, None), (None, None)),
        ("Apr-09", (2009, 4), (None, None)),
        ("Oct-54", (1954, 10), (None, None)),
        ("9-Mar-34", (1934, 3), (None, None)),
        ("2008 to 2009", (2008, None), (2009, None)),
        ("2011 to ?", (2011, None), (None, None)),
        ("Apr 2005 to Mar 2006", (2005, 4), (2006, 3)),
        ("Nov 2012 to ?", (2012, 11), (None, None)),
        ("Nov 1996 to 2000", (1996, 11), (2000, None)),
        ("Mar 1, 2008 to 2013", (2008, 3), (2013, None)),
        ("Jan 26, 1990 to Oct 1998", (1990, 1), (1998, 10)),
        ("2001 to Jan 26, 2007", (2001, None), (2007, 1)),
        ("Mar 2010 to Apr 5, 2015", (2010, 3), (2015, 4)),
    ],
)
def test_every_aired_shape_of_the_list_is_read(aired, start, end):
    assert parse_aired(aired) == (start, end)


@pytest.mark.parametrize("aired", ["Spring 2008", "Apr 5 2009 to whenever", "Foo-09", "12/04/2009"])
def test_an_unreadable_aired_is_an_error(aired):
    with pytest.raises(ValueError):
        parse_aired(aired)


@pytest.mark.parametrize(
    ("two_digits", "year"),
    [(0, 2000), (17, 2017), (22, 2022), (23, 2023), (24, 1924), (26, 1926), (34, 1934), (99, 1999)],
)
def test_two_digit_years_are_never_after_the_list_was_scraped(two_digits, year):
    assert expand_year(two_digits) == year


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [
        ("24 min. per ep.", 24),
        ("1 hr. 44 min.", 104),
        ("4 min.", 4),
        ("2 hr.", 120),
        ("1 hr. per ep.", 60),
        ("1 hr. 5 min. per ep.", 65),
        ("30 sec.", 1),
        ("40 sec. per ep.", 1),
        ("3 sec.", 1),
        ("90 sec.", 2),
    ],
)
def test_durations_become_whole_minutes_per_episode(duration, minutes):
    assert parse_duration(duration) == minutes


def test_an_unreadable_duration_is_an_error():
    with pytest.raises(ValueError):
        parse_duration("about an hour")


@pytest.mark.parametrize(
    ("doubled", "name"),
    [
        ("ActionAction", "Action"),
        ("Sci-FiSci-Fi", "Sci-Fi"),
        ("Gag HumorGag Humor", "Gag Humor"),
        ("Award WinningAward Winning", "Award Winning"),
        ("Boys LoveBoys Love", "Boys Love"),
        ("Idols (Female)Idols (Female)", "Idols (Female)"),
        ("Action", "Action"),
    ],
)
def test_doubled_genre_names_are_undone(doubled, name):
    assert undouble(doubled) == name


def test_genres_and_themes_become_tags_with_their_category():
    record = parse_row(
        row(Genres="ActionAction,DramaDrama", Themes="Gag HumorGag Humor,Time TravelTime Travel")
    )
    assert record.tags == {
        "Action": "genre",
        "Drama": "genre",
        "Gag Humor": "theme",
        "Time Travel": "theme",
    }


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDERS) + ["Add Some", " None ", "NONE"])
def test_placeholders_mean_unknown(placeholder):
    assert clean(placeholder) == ""


def test_studio_placeholders_are_dropped():
    assert split_names("None found,add some") == []
    assert split_names("Sunrise,add some") == ["Sunrise"]


def test_a_company_suffix_stays_with_its_studio():
    assert split_names("Yamamura Animation, Inc.") == ["Yamamura Animation, Inc."]


def test_the_blame_row_is_read_whole():
    record = parse_row(BLAME)
    assert (record.title, record.kind, record.episodes, record.episode_minutes) == (
        "Blame!",
        "web",
        6,
        6,
    )
    assert (record.start_season, record.start_year, record.end_year) == ("fall", 2003, None)
    assert (record.airing_status, record.source_material, record.age_rating) == (
        "finished",
        "Manga",
        "R+ - Mild Nudity",
    )
    assert record.titles == {"BLAME (ブラム!)": "japanese"}
    assert record.studios == ["Group TAC"]
    assert record.tags == {"Sci-Fi": "genre", "Mecha": "theme"}
    assert record.warnings == []


def test_placeholder_values_become_empty_without_warnings():
    record = parse_row(
        row(
            Type="Unknown",
            Japanese="none",
            Aired="Not available",
            Episodes="Unknown",
            Duration="Unknown",
            Source="Unknown",
            Genres="None",
            Themes="None",
            Rating="None",
            Studios="add some",
        )
    )
    assert record.kind is None
    assert record.start_year is None and record.start_season is None
    assert record.episodes is None and record.episode_minutes is None
    assert record.source_material == "" and record.age_rating == ""
    assert record.titles == {} and record.tags == {} and record.studios == []
    assert record.warnings == []


def test_zero_episodes_means_unknown():
    assert parse_row(row(Episodes="0")).episodes is None


def test_a_japanese_title_equal_to_the_title_is_not_repeated():
    assert parse_row(row(Title="Steins Gate", Japanese="STEINS GATE")).titles == {}


def test_an_odd_value_is_left_empty_with_a_warning():
    record = parse_row(row(Type="Movie2", Aired="Spring 2008"))
    assert record.kind is None and record.start_year is None
    assert record.warnings == [
        "type 'Movie2' is not one the importer knows; left empty",
        "aired 'Spring 2008' is unreadable; left empty",
    ]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"Title": "  "}, "no title"),
        ({"Episodes": "-1"}, "episodes -1 is impossible"),
        ({"Aired": "Apr 5, 3000"}, "year 3000 is impossible"),
        ({"Aired": "2010 to 2008"}, "ends in 2008, before it starts in 2010"),
        ({"Title": "x" * 501}, "title longer than 500 characters"),
    ],
)
def test_a_row_the_database_would_refuse_is_bad(changes, reason):
    with pytest.raises(BadRow, match=reason):
        parse_row(row(**changes))


def test_the_import_key_ignores_case_accents_and_punctuation():
    assert normalise_title("Kämpfer") == "kampfer"
    assert import_key("Steins;Gate", "tv", 2011) == import_key("STEINS GATE", "tv", 2011)
    assert import_key("Blame!", "web", 2003) == "blame|web|2003"


def test_the_import_key_tells_kind_and_year_apart():
    assert import_key("Parallel", "music", 2014) != import_key("Parallel", "tv", 2014)
    assert import_key("Parallel", "music", 2014) != import_key("Parallel", "music", 2015)
    assert import_key("Mystery", None, None) == "mystery|?|?"


def test_a_title_of_symbols_keeps_a_key():
    assert normalise_title("◯") == "◯"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("slice of life", "Slice of Life"),
        ("sci-fi", "Sci-Fi"),
        ("a-1 pictures", "A-1 Pictures"),
        ("j.c.staff", "J.C.Staff"),
        ("CGDCT", "CGDCT"),
        ("ufotable", "Ufotable"),
    ],
)
def test_lower_case_names_are_title_cased(name, shown):
    assert display_name(name) == shown


OFFLINE_ENTRY = {
    "sources": ["https://anilist.co/anime/5114", "https://myanimelist.net/anime/5114"],
    "title": "Fullmetal Alchemist: Brotherhood",
    "type": "TV",
    "episodes": 64,
    "status": "FINISHED",
    "animeSeason": {"season": "SPRING", "year": 2009},
    "picture": "https://cdn.myanimelist.net/images/anime/1208/94745.jpg",
    "thumbnail": "https://cdn.myanimelist.net/images/anime/1208/94745t.jpg",
    "duration": {"value": 1420, "unit": "SECONDS"},
    "synonyms": ["FMA:B", "Fullmetal Alchemist: Brotherhood", "鋼の錬金術師 FULLMETAL ALCHEMIST"],
    "studios": ["bones"],
    "producers": ["aniplex", "square enix"],
    "relatedAnime": ["https://myanimelist.net/anime/6421"],
    "tags": ["action", "slice of life"],
}


def test_an_offline_entry_is_read_whole():
    record = parse_entry(OFFLINE_ENTRY)
    assert (record.title, record.kind, record.episodes, record.episode_minutes) == (
        "Fullmetal Alchemist: Brotherhood",
        "tv",
        64,
        24,
    )
    assert (record.airing_status, record.start_season, record.start_year) == (
        "finished",
        "spring",
        2009,
    )
    assert record.titles == {"FMA:B": "synonym", "鋼の錬金術師 FULLMETAL ALCHEMIST": "synonym"}
    assert record.studios == ["Bones"]
    assert record.tags == {"Action": "tag", "Slice of Life": "tag"}
    assert record.sources == OFFLINE_ENTRY["sources"]
    assert record.related == ["https://myanimelist.net/anime/6421"]


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"type": "ONA"}, "kind", "web"),
        ({"type": "UNKNOWN"}, "kind", None),
        ({"status": "ONGOING"}, "airing_status", "airing"),
        ({"status": "UPCOMING"}, "airing_status", "upcoming"),
        ({"status": "UNKNOWN"}, "airing_status", None),
        ({"animeSeason": {"season": "UNDEFINED", "year": 2009}}, "start_season", None),
        ({"animeSeason": {"season": "UNDEFINED"}}, "start_year", None),
        ({"episodes": 0}, "episodes", None),
        ({"duration": {"value": 20, "unit": "SECONDS"}}, "episode_minutes", 1),
    ],
)
def test_offline_values_map_onto_the_catalog(changes, field, value):
    assert getattr(parse_entry({**OFFLINE_ENTRY, **changes}), field) == value


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": ""}, "no title"),
        ({"episodes": -1}, "episodes -1 is impossible"),
        ({"animeSeason": {"season": "SPRING", "year": 3000}}, "year 3000 is impossible"),
    ],
)
def test_an_offline_entry_the_database_would_refuse_is_bad(changes, reason):
    with pytest.raises(BadRow, match=reason):
        parse_entry({**OFFLINE_ENTRY, **changes})


def test_an_odd_offline_value_is_left_empty_with_a_warning():
    record = parse_entry({**OFFLINE_ENTRY, "episodes": 12.5, "type": "TV_SHORT", "status": ["?"]})
    assert record.episodes is None and record.kind is None and record.airing_status is None
    assert record.warnings == [
        "type 'TV_SHORT' is not in the schema; left empty",
        "status ['?'] is not in the schema; left empty",
        "episodes 12.5 is not a whole number; left empty",
    ]
