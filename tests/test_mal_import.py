"""Reading a MyAnimeList list export and bringing a user's list in line with it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import AnimeSource, AnimeTitle, Kind, TitleKind
from tests.factories import make_anime
from tests.mal_files import mal_entry, mal_file
from userlists.mal import ListFileError, import_entries, match_anime, parse_list
from userlists.models import AnimeListStats, ListEntry, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("importer", password="x")


def run_import(user, *entries: str):
    return import_entries(user, parse_list(mal_file(*entries)))


def entry_of(user, anime) -> ListEntry:
    return ListEntry.objects.get(user=user, anime=anime)


# Matching


def test_an_entry_matches_by_myanimelist_id_whatever_its_title(user):
    anime = make_anime(title="Fullmetal Alchemist: Brotherhood")
    AnimeSource.objects.create(anime=anime, url="https://myanimelist.net/anime/5114")
    run_import(user, mal_entry(series_animedb_id=5114, series_title="Hagane no Renkinjutsushi"))
    assert entry_of(user, anime)


def test_an_entry_matches_by_title_whatever_its_case_and_punctuation(user):
    anime = make_anime(title="Steins Gate")
    run_import(user, mal_entry(series_title="STEINS;GATE"))
    assert entry_of(user, anime)


def test_an_entry_matches_by_an_alternative_title(user):
    anime = make_anime(title="Attack on Titan")
    AnimeTitle.objects.create(anime=anime, title="Shingeki no Kyojin", kind=TitleKind.SYNONYM)
    run_import(user, mal_entry(series_title="Shingeki no Kyojin"))
    assert entry_of(user, anime)


def test_an_unknown_myanimelist_id_falls_back_to_the_title(user):
    anime = make_anime(title="Blame!")
    run_import(user, mal_entry(series_animedb_id=999999, series_title="Blame!"))
    assert entry_of(user, anime)


def test_a_title_naming_several_anime_picks_the_one_of_the_files_type(user):
    make_anime(title="Akira", kind=Kind.TV, episodes=26)
    film = make_anime(title="Akira", kind=Kind.MOVIE, episodes=1)
    run_import(user, mal_entry(series_title="Akira", series_type="Movie", series_episodes=1))
    assert ListEntry.objects.get(user=user).anime == film


def test_a_main_title_beats_an_alternative_title(user):
    main = make_anime(title="Monster")
    other = make_anime(title="Something Else")
    AnimeTitle.objects.create(anime=other, title="Monster")
    run_import(user, mal_entry(series_title="Monster"))
    assert ListEntry.objects.get(user=user).anime == main


def test_an_anime_not_in_the_catalog_is_listed_as_not_matched_and_not_added(user):
    make_anime(title="Cowboy Bebop")
    summary = run_import(user, mal_entry(series_animedb_id=1, series_title="Not In The Catalog"))
    assert summary.not_matched == ["Not In The Catalog"]
    assert not ListEntry.objects.exists()


def test_a_second_entry_for_the_same_anime_is_reported_not_applied(user):
    anime = make_anime(title="Steins;Gate")
    summary = run_import(
        user,
        mal_entry(series_title="Steins;Gate", my_status="Completed"),
        mal_entry(series_title="Steins Gate", my_status="Dropped"),
    )
    assert summary.repeated == ["Steins Gate"]
    assert entry_of(user, anime).status == Status.WATCHED


def test_matching_takes_a_fixed_number_of_queries(django_assert_num_queries):
    for n in range(5):
        anime = make_anime(title=f"Series {n}")
        AnimeTitle.objects.create(anime=anime, title=f"Alias {n}")
    AnimeSource.objects.create(anime=anime, url="https://myanimelist.net/anime/77")
    entries = parse_list(
        mal_file(
            mal_entry(series_animedb_id=77),
            *(mal_entry(series_title=f"Series {n}") for n in range(4)),
            *(mal_entry(series_title=f"Alias {n}") for n in range(4)),
            mal_entry(series_title="Unknown"),
        )
    )
    # The MyAnimeList ids, the titles' normal forms, main titles, alternative titles.
    with django_assert_num_queries(4):
        matches = match_anime(entries)
    assert matches.count(None) == 1


# What an entry sets


@pytest.mark.parametrize(
    ("mal_status", "status"),
    [
        ("Completed", Status.WATCHED),
        ("Watching", Status.WATCHING),
        ("Plan to Watch", Status.WANT_TO_WATCH),
        ("Dropped", Status.DROPPED),
        ("On-Hold", Status.WATCHING),
        ("2", Status.WATCHED),  # older exports number the statuses
    ],
)
def test_statuses_map_to_ours(user, mal_status, status):
    anime = make_anime(title="Mushishi")
    run_import(user, mal_entry(series_title="Mushishi", my_status=mal_status))
    assert entry_of(user, anime).status == status


def test_on_hold_entries_are_counted_for_the_summary(user):
    make_anime(title="Mushishi")
    make_anime(title="Haibane Renmei")
    summary = run_import(
        user,
        mal_entry(series_title="Mushishi", my_status="On-Hold"),
        mal_entry(series_title="Haibane Renmei", my_status="Watching"),
    )
    assert summary.on_hold == 1


@pytest.mark.parametrize(
    ("score", "rating"),
    [(0, None), (1, Decimal("0.5")), (7, Decimal("3.5")), (10, Decimal("5"))],
)
def test_scores_out_of_ten_become_half_stars(user, score, rating):
    anime = make_anime(title="Mushishi")
    run_import(user, mal_entry(series_title="Mushishi", my_status="Completed", my_score=score))
    assert entry_of(user, anime).rating == rating


def test_an_entry_sets_progress_dates_rewatches_and_notes(user):
    anime = make_anime(title="Mushishi", episodes=26)
    run_import(
        user,
        mal_entry(
            series_title="Mushishi",
            my_status="Completed",
            my_watched_episodes=26,
            my_start_date="2011-04-06",
            my_finish_date="2011-09-14",
            my_times_watched=2,
            my_comments="Calm & <quiet>",
        ),
    )
    entry = entry_of(user, anime)
    assert (entry.progress, entry.started_on, entry.finished_on) == (
        26,
        date(2011, 4, 6),
        date(2011, 9, 14),
    )
    assert (entry.rewatch_count, entry.notes) == (2, "Calm & <quiet>")


@pytest.mark.parametrize("value", ["0000-00-00", "2011-04-00", "2011-00-00"])
def test_dates_without_a_day_are_unknown(user, value):
    anime = make_anime(title="Mushishi")
    run_import(user, mal_entry(series_title="Mushishi", my_start_date=value))
    assert entry_of(user, anime).started_on is None


def test_a_finish_before_the_start_is_dropped(user):
    anime = make_anime(title="Mushishi")
    run_import(
        user,
        mal_entry(series_title="Mushishi", my_start_date="2012-01-01", my_finish_date="2011-01-01"),
    )
    entry = entry_of(user, anime)
    assert (entry.started_on, entry.finished_on) == (date(2012, 1, 1), None)


# Running it again


def test_importing_twice_changes_nothing_the_second_time(user):
    anime = make_anime(title="Mushishi", episodes=26)
    file = (
        mal_entry(series_title="Mushishi", my_status="Completed", my_score=9),
        mal_entry(series_title="Not Here"),
    )
    first = run_import(user, *file)
    second = run_import(user, *file)
    assert (len(first.imported), len(second.imported), len(second.updated)) == (1, 0, 0)
    assert second.unchanged == [anime]
    assert ListEntry.objects.filter(user=user).count() == 1
    stats = AnimeListStats.objects.get(anime=anime)
    assert (stats.watched, stats.votes) == (1, 1)


def test_progress_past_the_last_episode_is_unchanged_on_the_second_run(user):
    anime = make_anime(title="Mushishi", episodes=26)
    file = mal_entry(series_title="Mushishi", my_status="Watching", my_watched_episodes=30)
    run_import(user, file)
    assert run_import(user, file).unchanged == [anime]
    assert entry_of(user, anime).progress == 26


def test_a_changed_entry_is_updated_and_the_figures_follow(user):
    anime = make_anime(title="Mushishi")
    run_import(user, mal_entry(series_title="Mushishi", my_status="Watching", my_score=4))
    summary = run_import(
        user, mal_entry(series_title="Mushishi", my_status="Completed", my_score=10)
    )
    assert summary.updated == [anime]
    stats = AnimeListStats.objects.get(anime=anime)
    anime.refresh_from_db()
    assert (stats.watching, stats.watched, anime.votes, anime.average_rating) == (
        0,
        1,
        1,
        Decimal("5.000"),
    )


# Files that cannot be imported


def test_a_malformed_file_is_refused():
    with pytest.raises(ListFileError, match="not well-formed XML"):
        parse_list(b"<myanimelist><anime><series_title>Oops</anime>")


def test_a_file_that_is_not_a_myanimelist_export_is_refused():
    with pytest.raises(ListFileError, match="not a MyAnimeList list export"):
        parse_list(b"<rss><channel/></rss>")


def test_a_manga_list_is_refused():
    with pytest.raises(ListFileError, match="manga list"):
        parse_list(mal_file(export_type=2))


def test_entity_expansion_is_refused():
    billion_laughs = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<myanimelist><anime><series_title>&lol3;</series_title></anime></myanimelist>"""
    with pytest.raises(ListFileError, match="DOCTYPE"):
        parse_list(billion_laughs)


def test_an_external_entity_is_refused():
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE myanimelist [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<myanimelist><anime><series_title>&secret;</series_title></anime></myanimelist>"""
    with pytest.raises(ListFileError, match="DOCTYPE"):
        parse_list(xxe)


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        ("my_score", "11"),
        ("my_score", "-1"),
        ("my_watched_episodes", "many"),
        ("my_start_date", "yesterday"),
        ("my_status", "Abandoned"),
    ],
)
def test_a_bad_value_is_refused_naming_its_entry(tag, value):
    with pytest.raises(ListFileError, match="“Mushishi” has " + tag):
        parse_list(mal_file(mal_entry(series_title="Mushishi", **{tag: value})))
