from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Anime
from catalog.ranking import MIN_VOTES, rank_anime
from tests.factories import make_anime

pytestmark = pytest.mark.django_db


def rated(title: str, votes: int, mean: str) -> Anime:
    return make_anime(title=title, votes=votes, average_rating=Decimal(mean))


def listed(title: str, members: int = 0) -> Anime:
    """An anime on `members` lists, as userlists keeps the count on the anime."""
    return make_anime(title=title, members=members)


def ranks() -> dict[str, int | None]:
    return dict(Anime.objects.values_list("title", "rank"))


def popularity() -> dict[str, int | None]:
    return dict(Anime.objects.values_list("title", "popularity"))


@pytest.fixture
def known_example() -> None:
    """m = 10; C = Σ v·R / Σ v = (15·4 + 10·5 + 10·2.5 + 10·1.5 + 5·5) / 50 = 175 / 50 = 3.5.

    WS = (v·R + m·C) / (v + m):
      Acclaimed    10 votes, mean 5.0: (50 + 35) / 20 = 4.25  → #1
      Solid        15 votes, mean 4.0: (60 + 35) / 25 = 3.80  → #2
      Middling     10 votes, mean 2.5: (25 + 35) / 20 = 3.00  → #3
      Poor         10 votes, mean 1.5: (15 + 35) / 20 = 2.50  → #4
      Little-known  5 votes, mean 5.0: counts in C, but below m: no rank
    """
    assert MIN_VOTES == 10
    rated("Solid", 15, "4.0")
    rated("Acclaimed", 10, "5.0")
    rated("Middling", 10, "2.5")
    rated("Poor", 10, "1.5")
    rated("Little-known", 5, "5.0")
    make_anime(title="Unrated")


def test_ranks_follow_the_weighted_score(known_example):
    rank_anime()
    assert ranks() == {
        "Acclaimed": 1,
        "Solid": 2,
        "Middling": 3,
        "Poor": 4,
        "Little-known": None,
        "Unrated": None,
    }


def test_anime_below_the_minimum_votes_are_unranked(known_example):
    rank_anime()
    assert ranks()["Little-known"] is None
    assert ranks()["Unrated"] is None


def test_the_summary_counts_the_ranked(known_example):
    assert rank_anime().ranked == 4


def test_equal_scores_go_to_the_anime_with_more_votes():
    # Both means equal the catalog's (3.5), so both scores are exactly 3.5.
    rated("Fewer votes", 10, "3.5")
    rated("More votes", 20, "3.5")
    rank_anime()
    assert ranks() == {"More votes": 1, "Fewer votes": 2}


def test_equal_scores_and_votes_go_by_the_title_in_normal_form():
    rated("Beta", 10, "3.5")
    rated("!alpha", 10, "3.5")  # sorts as "alpha", not before every letter
    rank_anime()
    assert ranks() == {"!alpha": 1, "Beta": 2}


def test_equal_scores_votes_and_titles_go_by_id():
    first = rated("Twin", 10, "3.5")
    second = rated("Twin", 10, "3.5")
    rank_anime()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rank, second.rank) == (1, 2)


def test_an_anime_that_falls_below_the_minimum_loses_its_rank(known_example):
    rank_anime()
    Anime.objects.filter(title="Poor").update(votes=MIN_VOTES - 1)
    rank_anime()
    assert ranks()["Poor"] is None


def test_popularity_follows_the_number_of_lists():
    listed("Three", members=3)
    listed("Five", members=5)
    listed("Four", members=4)
    rank_anime()
    assert popularity() == {"Five": 1, "Four": 2, "Three": 3}


def test_equal_popularity_goes_by_title():
    listed("Beta", members=2)
    listed("Alpha", members=2)
    rank_anime()
    assert popularity() == {"Alpha": 1, "Beta": 2}


def test_anime_on_no_list_have_no_popularity():
    listed("Emptied")  # back at 0, as remove_entry() leaves it
    make_anime(title="Never listed")
    rank_anime()
    assert popularity() == {"Emptied": None, "Never listed": None}


def test_a_rerun_with_nothing_new_writes_nothing(known_example):
    listed("Listed", members=3)
    first = rank_anime()
    before = ranks(), popularity()
    again = rank_anime()
    assert first.changed == 5  # four ranks and one popularity
    assert again.changed == 0
    assert (ranks(), popularity()) == before


def test_the_command_reports_what_it_ranked(known_example):
    out = StringIO()
    call_command("rank_anime", stdout=out)
    assert "ranked 4 anime" in out.getvalue()
