from __future__ import annotations

import pytest

from catalog.models import AiringStatus, Anime, Kind, Season, format_minutes


@pytest.mark.parametrize(
    ("fields", "summary"),
    [
        ({"kind": Kind.WEB, "episodes": 6, "episode_minutes": 5}, "Web (6 eps x 5 min)"),
        ({"kind": Kind.MOVIE, "episodes": 1, "episode_minutes": 104}, "Movie (1 ep x 1 hr 44 min)"),
        ({"kind": Kind.TV, "episodes": None, "episode_minutes": None}, "TV (? eps)"),
        ({"kind": Kind.TV, "episodes": None, "episode_minutes": 24}, "TV (? eps x 24 min)"),
        ({"kind": Kind.TV, "episodes": 1818, "episode_minutes": None}, "TV (1,818 eps)"),
        ({"kind": None, "episodes": 12, "episode_minutes": 24}, "Unknown type (12 eps x 24 min)"),
        ({"kind": Kind.MUSIC, "episodes": 1, "episode_minutes": 4}, "Music Video (1 ep x 4 min)"),
    ],
)
def test_kind_summary(fields, summary):
    assert Anime(title="X", **fields).kind_summary == summary


@pytest.mark.parametrize(
    ("fields", "years"),
    [
        ({"start_year": 2003, "end_year": 2003}, "2003"),
        ({"start_year": 2003, "end_year": None}, "2003"),
        ({"start_year": 2009, "end_year": 2010}, "2009 - 2010"),
        ({"start_year": 2022, "airing_status": AiringStatus.AIRING}, "2022 - ?"),
        ({"start_year": None, "end_year": None}, ""),
    ],
)
def test_years(fields, years):
    assert Anime(title="X", **fields).years == years


def test_season_label_names_the_season_and_year():
    assert Anime(start_season=Season.FALL, start_year=2003).season_label == "Fall 2003"


@pytest.mark.parametrize(
    "fields", [{"start_season": Season.FALL}, {"start_year": 2003}, {}], ids=str
)
def test_season_label_is_blank_without_both_season_and_year(fields):
    assert Anime(**fields).season_label == ""


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(1, "1 min"), (59, "59 min"), (60, "1 hr"), (104, "1 hr 44 min"), (120, "2 hr")],
)
def test_format_minutes(minutes, text):
    assert format_minutes(minutes) == text
