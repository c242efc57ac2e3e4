"""Writing a user's list out as MyAnimeList XML and as CSV, and reading the XML back in."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from catalog.models import AnimeSource, Kind
from tests.factories import make_anime
from userlists.list_export import CSV_COLUMNS, entries_for_export, write_csv
from userlists.mal import import_entries, parse_list, write_list
from userlists.models import ListEntry, Status

pytestmark = pytest.mark.django_db

FIELDS = ("status", "progress", "rating", "started_on", "finished_on", "rewatch_count", "notes")


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("owner", password="x")


def xml_of(user) -> ET.Element:
    return ET.fromstring(write_list(user.username, list(entries_for_export(user))))


def exported_anime(user, title: str) -> ET.Element:
    return next(
        element
        for element in xml_of(user).iter("anime")
        if element.findtext("series_title") == title
    )


def test_the_export_carries_the_myanimelist_id_when_the_catalog_knows_it(owner):
    anime = make_anime(title="Cowboy Bebop")
    AnimeSource.objects.create(anime=anime, url="https://anilist.co/anime/1")
    AnimeSource.objects.create(anime=anime, url="https://myanimelist.net/anime/1")
    ListEntry.objects.save_entry(owner, anime)
    assert exported_anime(owner, "Cowboy Bebop").findtext("series_animedb_id") == "1"


def test_the_export_says_0_for_an_unknown_myanimelist_id(owner):
    ListEntry.objects.save_entry(owner, make_anime(title="Cowboy Bebop"))
    assert exported_anime(owner, "Cowboy Bebop").findtext("series_animedb_id") == "0"


def test_the_export_writes_an_entry_in_myanimelists_terms(owner):
    anime = make_anime(title="Mushishi", kind=Kind.WEB, episodes=26)
    ListEntry.objects.save_entry(
        owner,
        anime,
        status=Status.WATCHED,
        progress=26,
        rating=Decimal("3.5"),
        finished_on=date(2020, 5, 1),
    )
    element = exported_anime(owner, "Mushishi")
    assert {
        tag: element.findtext(tag)
        for tag in [
            "series_type",
            "series_episodes",
            "my_watched_episodes",
            "my_score",
            "my_status",
            "my_start_date",
            "my_finish_date",
            "update_on_import",
        ]
    } == {
        "series_type": "ONA",
        "series_episodes": "26",
        "my_watched_episodes": "26",
        "my_score": "7",
        "my_status": "Completed",
        "my_start_date": "0000-00-00",
        "my_finish_date": "2020-05-01",
        "update_on_import": "1",
    }


def test_characters_xml_cannot_hold_are_left_out_of_the_export(owner):
    ListEntry.objects.save_entry(owner, make_anime(title="Mushishi"), notes="ring\x07 the bell")
    assert exported_anime(owner, "Mushishi").findtext("my_comments") == "ring the bell"


def test_the_export_header_counts_the_list_by_status(owner):
    for status in [Status.WATCHED, Status.WATCHED, Status.WANT_TO_WATCH]:
        ListEntry.objects.save_entry(owner, make_anime(), status=status)
    info = xml_of(owner).find("myinfo")
    assert (
        info.findtext("user_name"),
        info.findtext("user_export_type"),
        info.findtext("user_total_anime"),
        info.findtext("user_total_completed"),
        info.findtext("user_total_plantowatch"),
    ) == ("owner", "1", "3", "2", "1")


def test_an_exported_list_imports_into_another_users_list_unchanged(owner, django_user_model):
    known = make_anime(title="Steins;Gate", episodes=24)
    AnimeSource.objects.create(anime=known, url="https://myanimelist.net/anime/9253")
    ListEntry.objects.save_entry(
        owner,
        known,
        status=Status.WATCHED,
        progress=24,
        rating=Decimal("4.5"),
        started_on=date(2011, 4, 6),
        finished_on=date(2011, 9, 14),
        rewatch_count=2,
        notes='El Psy Kongroo, "Okabe" & <Kurisu>',
    )
    ListEntry.objects.save_entry(
        owner,
        make_anime(title="Blame!", kind=Kind.WEB, episodes=6),
        status=Status.WATCHING,
        progress=3,
        rating=Decimal("0.5"),
    )
    ListEntry.objects.save_entry(owner, make_anime(title="Akira", kind=Kind.MOVIE, episodes=1))
    ListEntry.objects.save_entry(
        owner, make_anime(title="Akira", kind=Kind.TV), status=Status.DROPPED
    )
    ListEntry.objects.save_entry(
        owner, make_anime(title="Unknown Episodes", episodes=None), progress=500
    )
    other = django_user_model.objects.create_user("other", password="x")

    summary = import_entries(
        other, parse_list(write_list("owner", list(entries_for_export(owner))))
    )

    assert (len(summary.imported), summary.not_matched, summary.repeated) == (5, [], [])
    assert set(ListEntry.objects.filter(user=other).values_list("anime_id", *FIELDS)) == set(
        ListEntry.objects.filter(user=owner).values_list("anime_id", *FIELDS)
    )


@pytest.mark.parametrize(
    "write", [lambda entries: write_list("owner", entries), lambda entries: write_csv(entries, str)]
)
def test_exporting_takes_one_query_however_long_the_list(owner, write, django_assert_num_queries):
    for n in range(4):
        anime = make_anime()
        AnimeSource.objects.create(anime=anime, url=f"https://myanimelist.net/anime/{n + 1}")
        ListEntry.objects.save_entry(owner, anime)
    # The entries, each with its anime and MyAnimeList page.
    with django_assert_num_queries(1):
        write(list(entries_for_export(owner)))


def test_the_export_holds_only_the_users_own_list(owner, django_user_model):
    other = django_user_model.objects.create_user("other", password="x")
    ListEntry.objects.save_entry(other, make_anime(title="Not Mine"))
    ListEntry.objects.save_entry(owner, make_anime(title="Mine"))
    assert [e.findtext("series_title") for e in xml_of(owner).iter("anime")] == ["Mine"]


# CSV


def csv_rows(user) -> list[list[str]]:
    text = write_csv(list(entries_for_export(user)), lambda path: f"https://animedex.test{path}")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_a_header_and_a_row_per_entry(owner):
    anime = make_anime(title="Mushishi", episodes=26)
    ListEntry.objects.save_entry(
        owner,
        anime,
        status=Status.WATCHED,
        progress=26,
        rating=Decimal("4.5"),
        started_on=date(2011, 4, 6),
        rewatch_count=1,
    )
    assert csv_rows(owner) == [
        CSV_COLUMNS,
        [
            "Mushishi",
            "Watched",
            "26",
            "26",
            "4.5",
            "2011-04-06",
            "",
            "1",
            "",
            f"https://animedex.test/anime/{anime.slug}/",
        ],
    ]


def test_the_csv_quotes_commas_quotes_and_line_breaks(owner):
    anime = make_anime(title='Yes, "Prime Minister"', episodes=None)
    ListEntry.objects.save_entry(owner, anime, notes="Line one,\nline two")
    text = write_csv(list(entries_for_export(owner)), str)
    assert '"Yes, ""Prime Minister"""' in text
    assert csv_rows(owner)[1][:4] == ['Yes, "Prime Minister"', "Want to watch", "0", ""]
    assert csv_rows(owner)[1][8] == "Line one,\nline two"
