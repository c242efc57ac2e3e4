from __future__ import annotations

import pytest

from catalog.models import Anime
from catalog.pagination import CappedPaginator, RowsById, rows_in_order
from tests.factories import make_anime, make_studio, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_anime():
    for n in range(12):
        make_anime(title=f"Anime {n:02}")
    return Anime.objects.order_by("title")


def test_counts_stop_at_the_cap(twelve_anime):
    paginator = CappedPaginator(twelve_anime, per_page=2, cap=5)
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (5, True, 3)


def test_counts_below_the_cap_are_exact(twelve_anime):
    paginator = CappedPaginator(twelve_anime, per_page=5, cap=100)
    assert (paginator.count, paginator.is_capped) == (12, False)


def test_a_capped_count_says_so_on_the_page(client, settings, twelve_anime, monkeypatch):
    monkeypatch.setattr("catalog.pagination.COUNT_CAP", 3)
    assert "3+ anime" in client.get("/anime/").text


def test_a_deep_page_holds_the_rows_a_shallow_fetch_would(twelve_anime, monkeypatch):
    monkeypatch.setattr("catalog.pagination.DEEP_PAGE_OFFSET", 4)
    deep = [anime.pk for anime in CappedPaginator(twelve_anime, per_page=4).page(2)]
    assert deep == [anime.pk for anime in twelve_anime[4:8]]


def test_a_page_read_ids_first_holds_the_rows_a_plain_fetch_would(
    twelve_anime, django_assert_num_queries
):
    paginator = CappedPaginator(twelve_anime, per_page=4, ids_first=True)
    with django_assert_num_queries(3):  # the count, the page's ids, then its rows
        first = [anime.pk for anime in paginator.page(1)]
    assert first == [anime.pk for anime in twelve_anime[:4]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": ["tv"]}, True),
        ({"status": ["finished"], "year": 2015}, True),
        ({"year": 2015, "season": "fall"}, True),
        ({"episodes_min": 12}, True),
        ({"tag": ["a tag"]}, True),
        ({}, False),
        ({"kind": ["tv"], "q": "bebop"}, False),
    ],
)
def test_filtered_pages_read_ids_first(filters, expected):
    assert Anime.objects.ids_first_pays(**filters) is expected


def test_the_last_deep_page_stops_at_the_cap(twelve_anime, monkeypatch):
    monkeypatch.setattr("catalog.pagination.DEEP_PAGE_OFFSET", 0)
    page = CappedPaginator(twelve_anime, per_page=4, cap=10).page(3)
    assert [anime.pk for anime in page] == [anime.pk for anime in twelve_anime[8:10]]


def test_a_known_count_is_not_counted_again(twelve_anime, django_assert_num_queries):
    paginator = CappedPaginator(twelve_anime, per_page=5, cap=10, known_count=7)
    with django_assert_num_queries(0):
        assert (paginator.count, paginator.is_capped, paginator.num_pages) == (7, False, 2)


def test_a_known_count_past_the_cap_is_capped(twelve_anime):
    paginator = CappedPaginator(twelve_anime, per_page=5, cap=10, known_count=12)
    assert (paginator.count, paginator.is_capped) == (10, True)


def test_a_page_read_by_ids_takes_its_rows_from_the_given_rows(
    twelve_anime, django_assert_num_queries
):
    kept = twelve_anime.filter(title__gte="Anime 06")
    paginator = CappedPaginator(kept, per_page=4, ids_first=True, rows=Anime.objects.only("title"))
    with django_assert_num_queries(3):  # the count, the page's ids, then its rows
        page = list(paginator.page(1))
    assert [anime.title for anime in page] == [f"Anime {n:02}" for n in range(6, 10)]


def test_a_tag_alone_is_counted_cheaply():
    tag, other = make_tag(), make_tag()
    for _ in range(3):
        make_anime(tags=[tag, other])
    make_anime(tags=[other])
    assert Anime.objects.count_cheaply(tag=[tag], notag=[], q="") == 3


def test_a_studio_alone_is_counted_from_its_links():
    studio = make_studio()
    for _ in range(2):
        make_anime(studios=[studio])
    make_anime()
    assert Anime.objects.count_cheaply(studio=studio) == 2


@pytest.mark.parametrize(
    "names", [("year", "kind"), ("kind", "q"), ("notag",), ("studio", "kind"), ()]
)
def test_other_filters_count_the_anime_themselves(names):
    given = {
        "year": 2015,
        "kind": ["tv"],
        "q": "bebop",
        "notag": [make_tag()],
        "studio": make_studio(),
    }
    assert Anime.objects.count_cheaply(**{name: given[name] for name in names}) is None


def test_rows_by_id_reads_the_rows_of_its_query_in_the_ids_order(twelve_anime):
    studio = make_studio(name="Sunrise")
    first, second = make_anime(title="Gundam", studios=[studio]), make_anime(title="Blame!")
    rows = rows_in_order(RowsById(lambda: Anime.objects.for_list()), [second.pk, first.pk])
    assert [(anime.title, anime.studio_names) for anime in rows] == [
        ("Blame!", []),
        ("Gundam", ["Sunrise"]),
    ]
    assert rows[0].get_deferred_fields() == Anime.objects.for_list()[0].get_deferred_fields()


def test_rows_by_id_compiles_its_query_once(twelve_anime, monkeypatch):
    listed = RowsById(lambda: Anime.objects.for_list())
    rows_in_order(listed, [twelve_anime[0].pk])
    monkeypatch.setattr(Anime.objects, "for_list", None)  # building it again would fail
    assert len(rows_in_order(listed, [twelve_anime[1].pk])) == 1


def test_rows_by_id_refuses_a_query_with_parameters_of_its_own(twelve_anime):
    with pytest.raises(ValueError, match="without parameters"):
        rows_in_order(RowsById(lambda: Anime.objects.filter(title="x")), [1])
