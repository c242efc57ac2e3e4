"""The "See all characters" and "See all staff" pages, a page at a time: the page asked for or
the nearest one, a fixed number of queries, htmx's fragment, and the anonymous page cache."""

from __future__ import annotations

import re

import pytest

from people import views
from people.models import CastRole, Language, StaffCredit, StaffRole
from tests.factories import make_anime, make_cast, make_character, make_person

pytestmark = pytest.mark.django_db

PER_PAGE = 4


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch) -> None:
    monkeypatch.setattr(views, "CHARACTERS_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(views, "CREDITS_PER_PAGE", PER_PAGE)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def add_people(anime, count: int, *, role: str = CastRole.SUPPORTING, start: int = 0) -> None:
    """`count` characters, each voiced in two languages, and as many storyboard credits."""
    for n in range(start, start + count):
        make_cast(
            anime,
            make_character(name=f"Character {n:03}"),
            role=role,
            order=n,
            voices=[(make_person(), Language.JAPANESE), (make_person(), Language.ENGLISH)],
        )
        StaffCredit.objects.create(
            anime=anime, person=make_person(name=f"Artist {n:03}"), role=StaffRole.STORYBOARD
        )


@pytest.fixture
def anime():
    anime = make_anime(title="One Piece", slug="one-piece")
    add_people(anime, 2, role=CastRole.MAIN)
    add_people(anime, 8, start=2)
    return anime


def names_on(html: str, prefix: str) -> list[str]:
    return re.findall(rf"{prefix} \d{{3}}", text_of(html))


def test_characters_come_a_page_at_a_time_main_first(client, anime):
    first = client.get("/anime/one-piece/characters/").text
    assert names_on(first, "Character") == [f"Character {n:03}" for n in range(4)]
    assert text_of(first).index("Main characters") < text_of(first).index("Supporting characters")
    assert "10 characters, showing 1–4" in text_of(first)
    assert 'href="?page=2"' in first
    last = client.get("/anime/one-piece/characters/?page=3").text
    assert names_on(last, "Character") == ["Character 008", "Character 009"]
    assert "Main characters" not in last
    assert "Page 3 of 3" in text_of(last)


def test_staff_come_a_page_at_a_time(client, anime):
    second = client.get("/anime/one-piece/staff/?page=2").text
    assert names_on(second, "Artist") == [f"Artist {n:03}" for n in range(4, 8)]
    assert "Storyboard" in second
    assert "Page 2 of 3" in text_of(second)


def test_one_page_of_characters_has_no_pagination(client):
    anime = make_anime(title="Blame!", slug="blame")
    add_people(anime, PER_PAGE)
    html = client.get("/anime/blame/characters/").text
    assert len(names_on(html, "Character")) == PER_PAGE
    assert 'class="pagination"' not in html
    assert "showing" not in html


@pytest.mark.parametrize("kind", ["characters", "staff"])
@pytest.mark.parametrize(
    "number, shown, notice",
    [
        ("abc", 1, "Ignored page “abc”: not a number."),
        ("0", 1, "There is no page 0: showing the first page."),
        ("-3", 1, "There is no page -3: showing the first page."),
        ("99", 3, "There is no page 99: showing the last page, 3."),
        ("9" * 40, 3, "showing the last page, 3."),
    ],
)
def test_a_page_that_does_not_exist_shows_the_nearest_with_a_notice(
    client, anime, kind, number, shown, notice
):
    response = client.get(f"/anime/one-piece/{kind}/", {"page": number})
    assert response.status_code == 200
    assert notice in text_of(response.text)
    assert f"Page {shown} of 3" in text_of(response.text)


@pytest.mark.parametrize("kind", ["characters", "staff"])
def test_an_anime_with_nobody_has_one_empty_page(client, kind):
    make_anime(title="Blame!", slug="blame")
    response = client.get(f"/anime/blame/{kind}/?page=2")
    assert response.status_code == 200
    assert f"No {kind} of Blame! yet" in response.text


@pytest.mark.parametrize("kind, queries", [("characters", 5), ("staff", 4)])
def test_the_query_count_does_not_grow_with_the_cast(
    client, anime, kind, queries, django_assert_max_num_queries
):
    # The page version, the anime, the count, the page's characters (or credits) with their
    # people, and for characters, their voice actors.
    with django_assert_max_num_queries(queries):
        assert client.get(f"/anime/one-piece/{kind}/?page=2").status_code == 200
    add_people(anime, 30, start=10)
    with django_assert_max_num_queries(queries):
        assert client.get(f"/anime/one-piece/{kind}/?page=5").status_code == 200


@pytest.mark.parametrize("kind", ["characters", "staff"])
def test_htmx_gets_the_list_alone(client, anime, kind):
    response = client.get(f"/anime/one-piece/{kind}/?page=2", headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert 'hx-target="this"' in response.text
    assert "Page 2 of 3" in text_of(response.text)
    assert "HX-Request" in response.headers["Vary"]
    full = client.get(f"/anime/one-piece/{kind}/?page=2")
    assert "<html" in full.text


def test_each_page_is_cached_on_its_own(client, anime, django_assert_num_queries):
    first = client.get("/anime/one-piece/characters/").text
    second = client.get("/anime/one-piece/characters/?page=2").text
    assert names_on(first, "Character") != names_on(second, "Character")
    with django_assert_num_queries(1):  # the anime's page version; the page from the cache
        assert client.get("/anime/one-piece/characters/?page=2").text == second


def test_a_new_character_shows_on_the_cached_pages(client, anime):
    client.get("/anime/one-piece/characters/?page=3")
    add_people(anime, 1, start=10)
    assert "Character 010" in client.get("/anime/one-piece/characters/?page=3").text
