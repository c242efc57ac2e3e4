"""`import_anime` on small anime list CSV files written by the tests."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.importers import loader
from catalog.models import Anime, AnimeTitle, Studio, Tag
from tests.factories import make_anime, make_tag

pytestmark = pytest.mark.django_db

HEADER = [
    "Ranking",
    "Title",
    "Type",
    "Japanese",
    "Aired",
    "Episodes",
    "Duration",
    "Score",
    "Source",
    "Genres",
    "Themes",
    "Licensors",
    "Producers",
    "Rating",
    "Status",
    "Studios",
    "Members",
]

BLAME = (
    "9433,Blame!,ONA,BLAME (ブラム!),24-Oct-03,6,6 min. per ep.,5.91,Manga,Sci-FiSci-Fi,MechaMecha,"
    'Media Blasters,"None found,add some",R+ - Mild Nudity,Finished Airing,Group TAC,"28,947"'
)


def anime_row(title: str = "Test Anime", **changes: str) -> dict[str, str]:
    fields = {
        "Ranking": "1",
        "Title": title,
        "Type": "TV",
        "Japanese": "none",
        "Aired": "Apr 5, 2009 to Jul 4, 2010",
        "Episodes": "12",
        "Duration": "24 min. per ep.",
        "Score": "7.5",
        "Source": "Manga",
        "Genres": "ActionAction,DramaDrama",
        "Themes": "None",
        "Licensors": "None found,add some",
        "Producers": "None found,add some",
        "Rating": "PG-13 - Teens 13 or older",
        "Status": "Finished Airing",
        "Studios": "Bones",
        "Members": "1,234",
    }
    fields.update(changes)
    return fields


def csv_text(*rows: dict[str, str] | str) -> str:
    """The header, then each row: a dict of columns, or a line written out as it stands."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        if isinstance(row, str):
            out.write(row + "\n")
        else:
            writer.writerow([row[name] for name in HEADER])
    return out.getvalue()


def write_csv(tmp_path: Path, *rows: dict[str, str] | str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(csv_text(*rows), encoding="utf-8")
    return path


def run_import(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_anime", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_blame_gets_its_page_and_its_facts(tmp_path):
    run_import(write_csv(tmp_path, BLAME))
    blame = Anime.objects.get()
    assert blame.get_absolute_url() == "/anime/blame/"
    assert (blame.title, blame.kind, blame.episodes, blame.episode_minutes) == (
        "Blame!",
        "web",
        6,
        6,
    )
    assert (blame.start_year, blame.start_season) == (2003, "fall")
    assert list(blame.studios.values_list("name", flat=True)) == ["Group TAC"]
    assert sorted(blame.tags.values_list("name", "category")) == [
        ("Mecha", "theme"),
        ("Sci-Fi", "genre"),
    ]


def test_the_japanese_title_becomes_an_alternative_title(tmp_path):
    run_import(write_csv(tmp_path, BLAME))
    assert list(AnimeTitle.objects.values_list("title", "kind")) == [
        ("BLAME (ブラム!)", "japanese")
    ]


def test_the_summary_line_counts_what_happened(tmp_path):
    out, err = run_import(write_csv(tmp_path, BLAME, anime_row("Monster")))
    assert out.splitlines()[-1].startswith(
        "Imported list.csv: 2 created, 0 updated (0 changed), 0 duplicates merged, 0 skipped,"
    )
    assert err == ""


def test_a_second_run_updates_the_same_anime_and_adds_nothing(tmp_path):
    path = write_csv(
        tmp_path, BLAME, anime_row("Monster", Studios="Madhouse", Japanese="モンスター")
    )
    run_import(path)
    before = {anime.id: anime.updated_at for anime in Anime.objects.all()}
    counts = [model.objects.count() for model in (Anime, Studio, Tag, AnimeTitle)]

    out, _ = run_import(path)

    assert "0 created, 2 updated (0 changed)" in out
    assert {anime.id: anime.updated_at for anime in Anime.objects.all()} == before
    assert [model.objects.count() for model in (Anime, Studio, Tag, AnimeTitle)] == counts


def test_a_second_run_applies_what_changed_in_place(tmp_path):
    run_import(write_csv(tmp_path, anime_row("Monster", Episodes="Unknown", Genres="DramaDrama")))
    monster = Anime.objects.get()

    out, _ = run_import(
        write_csv(tmp_path, anime_row("Monster", Episodes="74", Genres="HorrorHorror"))
    )

    assert "0 created, 1 updated (1 changed)" in out
    monster_now = Anime.objects.get()
    assert (monster_now.id, monster_now.episodes) == (monster.id, 74)
    assert list(monster_now.tags.values_list("name", flat=True)) == ["Horror"]


def test_bad_lines_are_reported_with_their_line_numbers_and_the_rest_loads(tmp_path):
    path = write_csv(
        tmp_path,
        anime_row("Good One"),
        "2,Too Few Columns,TV",
        anime_row(""),
        anime_row("Minus One", Episodes="-1"),
        anime_row("Far Future", Aired="Apr 5, 3000"),
        anime_row("Good Two"),
    )

    out, err = run_import(path)

    assert err.splitlines() == [
        "list.csv line 3: skipped: 3 columns where the header has 17",
        "list.csv line 4: skipped: no title",
        "list.csv line 5: skipped: episodes -1 is impossible",
        "list.csv line 6: skipped: year 3000 is impossible",
    ]
    assert "2 created" in out and "4 skipped" in out
    assert sorted(Anime.objects.values_list("title", flat=True)) == ["Good One", "Good Two"]


def test_an_odd_value_is_left_empty_and_the_row_imported_with_a_warning(tmp_path):
    out, err = run_import(write_csv(tmp_path, anime_row("Odd", Aired="Spring 2008")))
    assert err.strip() == "list.csv line 2: aired 'Spring 2008' is unreadable; left empty"
    assert "1 created" in out and "1 warnings" in out
    assert Anime.objects.get().start_year is None


def test_gzip_input_is_read(tmp_path):
    path = tmp_path / "list.csv.gz"
    path.write_bytes(gzip.compress(csv_text(BLAME).encode()))
    run_import(path)
    assert Anime.objects.get().slug == "blame"


def test_a_row_listed_twice_is_one_anime_and_the_later_row_wins(tmp_path):
    first = anime_row("Kämpfer", Status="Currently Airing", Members="265,380")
    second = anime_row("Kämpfer", Status="Finished Airing", Members="265,721")
    path = write_csv(tmp_path, first, anime_row("Other"), second)

    out, _ = run_import(path)

    assert "2 created, 0 updated (0 changed), 1 duplicates merged" in out
    assert Anime.objects.get(title="Kämpfer").airing_status == "finished"
    assert "0 created, 2 updated (0 changed), 1 duplicates merged" in run_import(path)[0]


def test_different_anime_with_one_title_get_distinct_readable_slugs(tmp_path):
    run_import(
        write_csv(
            tmp_path,
            anime_row("Parallel", Type="Music", Aired="4-Aug-14"),
            anime_row("Parallel", Type="TV", Aired="Jan 8, 2019 to Mar 26, 2019"),
        )
    )
    assert sorted(Anime.objects.values_list("slug", "start_year")) == [
        ("parallel", 2014),
        ("parallel-2019", 2019),
    ]


def test_the_plainest_title_keeps_the_bare_slug(tmp_path):
    run_import(
        write_csv(
            tmp_path,
            anime_row("Gintama°", Aired="Apr 8, 2015 to Mar 30, 2016"),
            anime_row("Gintama", Aired="Apr 4, 2006 to Mar 25, 2010"),
        )
    )
    assert dict(Anime.objects.values_list("title", "slug")) == {
        "Gintama": "gintama",
        "Gintama°": "gintama-2015",
    }


def test_titles_differing_only_by_punctuation_in_one_year_stay_two_anime(tmp_path):
    path = write_csv(
        tmp_path,
        anime_row("Bokutachi wa Benkyou ga Dekinai!", Aired="Oct 6, 2019 to Dec 29, 2019"),
        anime_row("Bokutachi wa Benkyou ga Dekinai", Aired="Apr 7, 2019 to Jun 30, 2019"),
    )
    run_import(path)
    ids = set(Anime.objects.values_list("id", flat=True))

    out, _ = run_import(path)

    assert len(ids) == 2
    assert "0 created, 2 updated (0 changed)" in out
    assert set(Anime.objects.values_list("id", flat=True)) == ids


def test_placeholders_leave_no_studio_tag_or_title(tmp_path):
    run_import(
        write_csv(tmp_path, anime_row("Plain", Studios="add some", Genres="None", Japanese="none"))
    )
    assert (Studio.objects.count(), Tag.objects.count(), AnimeTitle.objects.count()) == (0, 0, 0)


def test_an_anime_entered_by_hand_is_updated_not_duplicated(tmp_path):
    by_hand = make_anime(title="BLAME!", kind="web", start_year=2003, episodes=None)
    run_import(write_csv(tmp_path, BLAME))
    blame = Anime.objects.get()
    assert (blame.id, blame.slug, blame.episodes) == (by_hand.id, "blame", 6)


def test_slugs_and_tags_already_in_the_catalog_are_respected(tmp_path):
    make_anime(title="Parallel", kind="tv", start_year=1999)
    action = make_tag(name="action")
    run_import(write_csv(tmp_path, anime_row("Parallel", Type="Music", Aired="4-Aug-14")))
    imported = Anime.objects.get(kind="music")
    assert imported.slug == "parallel-2014"
    assert set(imported.tags.all()) == {action, Tag.objects.get(name="Drama")}


def test_the_format_is_told_from_the_content_when_the_name_does_not_say(tmp_path):
    run_import(write_csv(tmp_path, BLAME, name="anime-list.txt"))
    assert Anime.objects.get().slug == "blame"


def test_the_format_can_be_given(tmp_path):
    run_import(write_csv(tmp_path, BLAME, name="anime-list.data"), "--format", "csv")
    assert Anime.objects.get().slug == "blame"


def test_a_csv_without_the_list_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,year\nFoo,2001\n")
    with pytest.raises(CommandError, match="not the anime list CSV: no column Title, Type"):
        run_import(path)


def test_a_zstd_file_is_refused_with_how_to_decompress_it(tmp_path):
    path = tmp_path / "anime-offline-database.jsonl.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    with pytest.raises(CommandError, match=r"zstd -d .*anime-offline-database\.jsonl\.zst"):
        run_import(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot open"):
        run_import(tmp_path / "nowhere.csv")


def test_progress_is_shown_as_rows_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr("catalog.importers.PROGRESS_EVERY", 2)
    monkeypatch.setattr(loader, "BATCH_SIZE", 2)
    out, _ = run_import(write_csv(tmp_path, *(anime_row(f"Anime {n}") for n in range(5))))
    lines = out.splitlines()
    assert lines[0].startswith("2 rows read in ") and lines[1].startswith("4 rows read in ")
    assert "5 created" in lines[2]
    assert Anime.objects.count() == 5


def test_a_line_that_is_not_utf8_is_reported_and_the_rest_loads(tmp_path):
    path = tmp_path / "list.csv"
    good = csv_text(anime_row("Good One")).encode()
    bad = "3,Caf\xe9,TV,none,2008,1,Unknown,,Unknown,None,None,,,None,Finished Airing,add some,1\n"
    path.write_bytes(good + bad.encode("latin-1"))
    out, err = run_import(path)
    assert err.strip() == "list.csv line 3: skipped: not valid UTF-8"
    assert list(Anime.objects.values_list("title", flat=True)) == ["Good One"]


def test_a_damaged_gzip_file_is_refused(tmp_path):
    path = tmp_path / "list.csv.gz"
    path.write_bytes(gzip.compress(csv_text(BLAME).encode())[:-12])
    with pytest.raises(CommandError, match="ends early or is damaged"):
        run_import(path)
