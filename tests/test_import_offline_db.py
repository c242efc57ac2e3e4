"""`import_anime` on small anime-offline-database files written by the tests."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import Anime, AnimeRelation, AnimeSource, AnimeTitle, Studio, Tag
from tests.factories import make_tag
from tests.test_import_csv import BLAME, anime_row, write_csv

pytestmark = pytest.mark.django_db

METADATA = {
    "$schema": "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/schemas/anime-offline-database.jsonl.schema.json",
    "license": {
        "name": "Open Data Commons Open Database License (ODbL) v1.0 + Database Contents License (DbCL) v1.0",
        "url": "https://github.com/manami-project/anime-offline-database/blob/master/LICENSE",
    },
    "repository": "https://github.com/manami-project/anime-offline-database",
    "scoreRange": {"minInclusive": 1.0, "maxInclusive": 10.0},
    "lastUpdate": "2025-06-01",
}

MAL = "https://myanimelist.net/anime/"


def entry(mal_id: int, title: str, **changes: object) -> dict:
    fields = {
        "sources": [f"{MAL}{mal_id}", f"https://anilist.co/anime/{mal_id}"],
        "title": title,
        "type": "TV",
        "episodes": 12,
        "status": "FINISHED",
        "animeSeason": {"season": "SPRING", "year": 2009},
        "picture": f"https://cdn.myanimelist.net/images/anime/{mal_id}.jpg",
        "thumbnail": f"https://cdn.myanimelist.net/images/anime/{mal_id}t.jpg",
        "duration": {"value": 1440, "unit": "SECONDS"},
        "score": {"arithmeticGeometricMean": 7.9, "arithmeticMean": 7.9, "median": 7.9},
        "synonyms": [],
        "studios": ["bones"],
        "producers": ["aniplex"],
        "relatedAnime": [],
        "tags": ["action", "military"],
    }
    fields.update(changes)
    return fields


def write_jsonl(tmp_path: Path, *entries: dict | str, name: str = "aod.jsonl") -> Path:
    """The metadata line, then each entry: a dict, or a line written out as it stands."""
    lines = [json.dumps(METADATA)]
    lines += [
        item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in entries
    ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_import(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_anime", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


FMAB = entry(
    5114,
    "Fullmetal Alchemist: Brotherhood",
    episodes=64,
    synonyms=["FMA:B", "鋼の錬金術師 FULLMETAL ALCHEMIST"],
    tags=["action", "slice of life"],
)


def test_an_entry_becomes_an_anime_with_its_sources_titles_studios_and_tags(tmp_path):
    run_import(write_jsonl(tmp_path, FMAB))
    anime = Anime.objects.get()
    assert (anime.slug, anime.kind, anime.episodes, anime.episode_minutes) == (
        "fullmetal-alchemist-brotherhood",
        "tv",
        64,
        24,
    )
    assert (anime.start_season, anime.start_year, anime.airing_status) == (
        "spring",
        2009,
        "finished",
    )
    assert set(anime.sources.values_list("url", flat=True)) == set(FMAB["sources"])
    assert set(anime.titles.values_list("title", "kind")) == {
        ("FMA:B", "synonym"),
        ("鋼の錬金術師 FULLMETAL ALCHEMIST", "synonym"),
    }
    assert list(anime.studios.values_list("name", flat=True)) == ["Bones"]
    assert set(anime.tags.values_list("name", "category")) == {
        ("Action", "tag"),
        ("Slice of Life", "tag"),
    }


def test_tags_merge_with_existing_ones_whatever_their_case(tmp_path):
    genre = make_tag(name="Action", category="genre")
    run_import(write_jsonl(tmp_path, FMAB))
    assert genre in Anime.objects.get().tags.all()
    assert Tag.objects.filter(name__iexact="action").count() == 1


def test_a_second_run_updates_the_same_anime_and_adds_nothing(tmp_path):
    path = write_jsonl(tmp_path, FMAB, entry(6421, "Fullmetal Alchemist: Brotherhood Specials"))
    run_import(path)
    ids = set(Anime.objects.values_list("id", flat=True))
    counts = [m.objects.count() for m in (Anime, AnimeSource, AnimeTitle, Studio, Tag)]

    out, _ = run_import(path)

    assert "0 created, 2 updated (0 changed)" in out
    assert set(Anime.objects.values_list("id", flat=True)) == ids
    assert [m.objects.count() for m in (Anime, AnimeSource, AnimeTitle, Studio, Tag)] == counts


def test_an_anime_is_found_by_its_source_url_even_when_its_title_changed(tmp_path):
    run_import(
        write_jsonl(
            tmp_path, entry(1, "Cowboy Bebop", animeSeason={"season": "SPRING", "year": 1998})
        )
    )
    bebop = Anime.objects.get()

    renamed = entry(1, "Cowboy Bebop (TV)", animeSeason={"season": "SPRING", "year": 1998})
    out, _ = run_import(write_jsonl(tmp_path, renamed))

    assert "0 created, 1 updated (1 changed)" in out
    assert Anime.objects.get().id == bebop.id
    assert Anime.objects.get().title == "Cowboy Bebop (TV)"


def test_an_anime_imported_from_the_csv_is_found_by_its_key_and_gains_sources(tmp_path):
    run_import(write_csv(tmp_path, BLAME))
    blame = entry(
        149,
        "Blame!",
        type="ONA",
        episodes=6,
        animeSeason={"season": "FALL", "year": 2003},
        duration={"value": 360, "unit": "SECONDS"},
    )
    run_import(write_jsonl(tmp_path, blame))

    anime = Anime.objects.get()
    assert anime.slug == "blame"
    assert set(anime.sources.values_list("url", flat=True)) == set(blame["sources"])


def test_fields_the_format_lacks_are_left_as_another_file_gave_them(tmp_path):
    run_import(write_csv(tmp_path, anime_row("Monster", Aired="Apr 7, 2004 to Sep 26, 2005")))
    run_import(
        write_jsonl(tmp_path, entry(19, "Monster", animeSeason={"season": "SPRING", "year": 2004}))
    )
    monster = Anime.objects.get()
    assert (monster.source_material, monster.age_rating) == ("Manga", "PG-13 - Teens 13 or older")
    assert (monster.end_season, monster.end_year) == ("summer", 2005)


def test_a_synonym_does_not_demote_the_japanese_title_the_csv_gave(tmp_path):
    run_import(write_csv(tmp_path, BLAME))
    blame = entry(
        149,
        "Blame!",
        type="ONA",
        animeSeason={"season": "FALL", "year": 2003},
        synonyms=["BLAME (ブラム!)", "Blame! (2003)"],
    )
    run_import(write_jsonl(tmp_path, blame))
    assert set(AnimeTitle.objects.values_list("title", "kind")) == {
        ("BLAME (ブラム!)", "japanese"),
        ("Blame! (2003)", "synonym"),
    }


def test_related_urls_become_relations_between_known_anime(tmp_path):
    first = entry(
        5114, "Fullmetal Alchemist: Brotherhood", relatedAnime=[f"{MAL}6421", f"{MAL}9999"]
    )
    second = entry(6421, "Fullmetal Alchemist: Brotherhood Specials", relatedAnime=[f"{MAL}5114"])

    out, _ = run_import(write_jsonl(tmp_path, first, second))

    assert "2 relations (1 related URLs not in the catalog)" in out
    assert set(
        AnimeRelation.objects.values_list("from_anime__title", "to_anime__title", "relation_type")
    ) == {
        ("Fullmetal Alchemist: Brotherhood", "Fullmetal Alchemist: Brotherhood Specials", "other"),
        ("Fullmetal Alchemist: Brotherhood Specials", "Fullmetal Alchemist: Brotherhood", "other"),
    }


def test_relations_reach_anime_imported_by_an_earlier_run(tmp_path):
    run_import(
        write_jsonl(tmp_path, entry(5114, "Fullmetal Alchemist: Brotherhood"), name="one.jsonl")
    )
    specials = entry(6421, "Fullmetal Alchemist: Brotherhood Specials", relatedAnime=[f"{MAL}5114"])

    out, _ = run_import(write_jsonl(tmp_path, specials, name="two.jsonl"))

    assert "1 relations (0 related URLs not in the catalog)" in out
    relation = AnimeRelation.objects.get()
    assert (relation.from_anime.title, relation.to_anime.title) == (
        "Fullmetal Alchemist: Brotherhood Specials",
        "Fullmetal Alchemist: Brotherhood",
    )


def test_relations_are_not_repeated_by_a_second_run(tmp_path):
    path = write_jsonl(
        tmp_path,
        entry(5114, "Fullmetal Alchemist: Brotherhood", relatedAnime=[f"{MAL}6421"]),
        entry(6421, "Fullmetal Alchemist: Brotherhood Specials"),
    )
    run_import(path)
    run_import(path)
    assert AnimeRelation.objects.count() == 1


def test_bad_lines_are_reported_with_their_line_numbers_and_the_rest_loads(tmp_path):
    path = write_jsonl(
        tmp_path,
        entry(1, "Good One"),
        '{"sources": ["https://myanimelist.net/anime/2"], "title": ',
        entry(3, ""),
        entry(4, "Minus One", episodes=-1),
        "[1, 2]",
        entry(6, "Good Two"),
    )

    out, err = run_import(path)

    assert err.splitlines() == [
        "aod.jsonl line 3: skipped: not valid JSON (Expecting value at column 58)",
        "aod.jsonl line 4: skipped: no title",
        "aod.jsonl line 5: skipped: episodes -1 is impossible",
        "aod.jsonl line 6: skipped: not a JSON object",
    ]
    assert "2 created" in out and "4 skipped" in out
    assert sorted(Anime.objects.values_list("title", flat=True)) == ["Good One", "Good Two"]


def test_gzip_input_is_read(tmp_path):
    path = write_jsonl(tmp_path, FMAB)
    gzipped = tmp_path / "aod.jsonl.gz"
    gzipped.write_bytes(gzip.compress(path.read_bytes()))
    run_import(gzipped)
    assert Anime.objects.get().slug == "fullmetal-alchemist-brotherhood"


def test_the_older_single_document_format_is_read(tmp_path):
    path = tmp_path / "anime-offline-database.json"
    path.write_text(json.dumps({**METADATA, "data": [FMAB, entry(6421, "Specials")]}, indent=2))
    out, _ = run_import(path)
    assert "2 created" in out
    assert Anime.objects.count() == 2


def test_a_file_without_metadata_line_loses_no_anime(tmp_path):
    path = tmp_path / "aod.jsonl"
    path.write_text(json.dumps(FMAB) + "\n")
    run_import(path)
    assert Anime.objects.count() == 1
