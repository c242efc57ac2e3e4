from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from catalog.models import Anime, AnimeRelation, AnimeTitle, Kind, Season, Studio, Tag
from tests.factories import make_anime, make_studio, make_tag

pytestmark = pytest.mark.django_db


def violates_constraint(**fields) -> bool:
    try:
        with transaction.atomic():
            make_anime(**fields)
    except IntegrityError:
        return True
    return False


def test_slug_is_made_from_the_title():
    assert make_anime(title="BLAME!").slug == "blame"


def test_a_second_anime_with_the_same_title_gets_its_year_in_the_slug():
    make_anime(title="Parallel", start_year=2010)
    assert make_anime(title="Parallel", start_year=2014).slug == "parallel-2014"


def test_a_title_without_latin_letters_still_gets_a_slug():
    assert make_anime(title="★★★").slug == "anime"


@pytest.mark.parametrize("title", ["Suggest", "Tag", "Studio", "Season"])
def test_a_title_named_like_a_listing_gets_another_slug(title):
    # /anime/tag/characters/ is the tag "characters", not the characters of an anime "Tag".
    assert make_anime(title=title, kind="movie").slug == f"{title.lower()}-movie"


def test_accents_are_transliterated_in_slugs():
    assert make_anime(title="Kämpfer").slug == "kampfer"


def test_unknown_values_are_null_not_zero():
    anime = Anime.objects.create(title="Mystery")
    anime.refresh_from_db()
    assert (anime.kind, anime.episodes, anime.episode_minutes, anime.start_year) == (None,) * 4
    assert anime.average_rating is None
    assert anime.rank is None


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "comic"},
        {"episodes": 0},
        {"episode_minutes": 0},
        {"start_year": 1850},
        {"start_year": 2010, "end_year": 2009},
        {"start_season": "autumn"},
        {"airing_status": "cancelled"},
        {"average_rating": 5.5, "votes": 3},
        {"average_rating": 3, "votes": 0},
        {"rank": 0},
        {"title": ""},
    ],
    ids=lambda fields: ",".join(fields),
)
def test_database_rejects_impossible_values(fields):
    assert violates_constraint(**fields)


def test_slugs_are_unique_in_the_database():
    make_anime(title="One", slug="same")
    assert violates_constraint(title="Two", slug="same")


def test_studio_names_are_unique_ignoring_case():
    make_studio(name="Madhouse")
    with pytest.raises(IntegrityError):
        Studio.objects.create(name="MADHOUSE", slug="madhouse-2")


def test_tag_names_are_unique_ignoring_case():
    make_tag(name="Sci-Fi")
    with pytest.raises(IntegrityError):
        Tag.objects.create(name="sci-fi", slug="sci-fi-2")


def test_an_anime_cannot_be_related_to_itself():
    anime = make_anime()
    with pytest.raises(IntegrityError):
        AnimeRelation.objects.create(from_anime=anime, to_anime=anime)


def test_a_relation_is_stored_once_per_pair():
    first, second = make_anime(), make_anime()
    AnimeRelation.objects.create(from_anime=first, to_anime=second, relation_type="sequel")
    with pytest.raises(IntegrityError):
        AnimeRelation.objects.create(from_anime=first, to_anime=second, relation_type="other")


def test_an_alternative_title_is_stored_once_per_anime():
    anime = make_anime()
    AnimeTitle.objects.create(anime=anime, title="ブラム!", kind="japanese")
    with pytest.raises(IntegrityError):
        AnimeTitle.objects.create(anime=anime, title="ブラム!", kind="synonym")


def test_deleting_an_anime_deletes_its_titles_and_relations():
    anime, other = make_anime(), make_anime()
    AnimeTitle.objects.create(anime=anime, title="Alt")
    AnimeRelation.objects.create(from_anime=other, to_anime=anime)
    anime.delete()
    assert not AnimeTitle.objects.exists()
    assert not AnimeRelation.objects.exists()


@pytest.mark.parametrize(
    ("month", "season"),
    [
        (1, Season.WINTER),
        (3, Season.WINTER),
        (4, Season.SPRING),
        (8, Season.SUMMER),
        (12, Season.FALL),
    ],
)
def test_season_of_month(month, season):
    assert Season.of_month(month) == season


def test_ranked_first_puts_unranked_anime_last():
    unranked = make_anime(title="A")
    second = make_anime(title="B", rank=2)
    first = make_anime(title="C", rank=1)
    assert list(Anime.objects.ranked_first()) == [first, second, unranked]


def test_str_shows_title_and_year():
    assert (
        str(make_anime(title="Steins;Gate", start_year=2011, kind=Kind.TV)) == "Steins;Gate (2011)"
    )
