"""Browsing the catalog: filters and their combinations, sorting, pagination, bad parameters,
the active filter chips, htmx fragments and the search suggestions."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from catalog.models import AiringStatus, Anime, Kind, Season, TagCategory
from tests.factories import make_anime, make_studio, make_tag

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:anime-list")
SUGGEST_URL = reverse("catalog:anime-suggestions")
HTMX = {"HX-Request": "true"}


def text_of(markup: str) -> str:
    """The page's words with tags dropped and whitespace collapsed, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [anime.title for anime in response.context["page"]]


def browse(client, url: str = LIST_URL, **params) -> list[str]:
    return listed(client.get(url, params))


def heading_of(markup: str) -> str:
    return text_of(re.search(r"<h1>(.*?)</h1>", markup, re.S).group(1))


def chips(markup: str) -> dict[str, dict[str, list[str]]]:
    """Each active filter chip's label, with the query its link leads to."""
    found = re.findall(
        r'<a class="chip chip-removable" href="\?([^"]*)"[^>]*aria-label="Remove filter ([^"]*)"',
        markup,
    )
    return {html.unescape(label): parse_qs(html.unescape(query)) for query, label in found}


# Filters


def test_kind_filter_lists_only_that_kind(client):
    make_anime(title="Cowboy Bebop", kind=Kind.TV)
    make_anime(title="Akira", kind=Kind.MOVIE)
    assert browse(client, kind="movie") == ["Akira"]


def test_several_kinds_list_anime_of_any_of_them(client):
    make_anime(title="Cowboy Bebop", kind=Kind.TV)
    make_anime(title="Akira", kind=Kind.MOVIE)
    make_anime(title="Blame!", kind=Kind.WEB)
    assert sorted(browse(client, kind=["movie", "web"])) == ["Akira", "Blame!"]


def test_status_filter_lists_only_that_status(client):
    make_anime(title="One Piece", airing_status=AiringStatus.AIRING)
    make_anime(title="Cowboy Bebop", airing_status=AiringStatus.FINISHED)
    make_anime(title="Unknown status")
    assert browse(client, status="airing") == ["One Piece"]


def test_year_filter_lists_anime_that_started_that_year(client):
    make_anime(title="Kämpfer", start_year=2009)
    make_anime(title="Steins Gate", start_year=2011)
    make_anime(title="No year")
    assert browse(client, year=2009) == ["Kämpfer"]


def test_season_and_year_list_anime_that_started_then(client):
    make_anime(title="Kämpfer", start_year=2009, start_season=Season.FALL)
    make_anime(title="K-On!", start_year=2009, start_season=Season.SPRING)
    make_anime(title="Fall 2010", start_year=2010, start_season=Season.FALL)
    assert browse(client, year=2009, season="fall") == ["Kämpfer"]


def test_season_without_a_year_is_ignored_with_a_notice(client):
    make_anime(title="Kämpfer", start_year=2009, start_season=Season.FALL)
    make_anime(title="K-On!", start_year=2009, start_season=Season.SPRING)
    response = client.get(LIST_URL, {"season": "fall"})
    assert sorted(listed(response)) == ["K-On!", "Kämpfer"]
    assert "Ignored the season: it needs a year." in response.text


def test_several_tags_list_only_anime_with_all_of_them(client):
    action, mecha = make_tag(name="Action"), make_tag(name="Mecha")
    make_anime(title="Both", tags=[action, mecha])
    make_anime(title="Action only", tags=[action])
    make_anime(title="Mecha only", tags=[mecha])
    assert browse(client, tag=["action", "mecha"]) == ["Both"]


def test_excluded_tag_leaves_out_anime_with_it(client):
    ecchi = make_tag(name="Ecchi")
    make_anime(title="Kämpfer", tags=[ecchi, make_tag(name="Comedy")])
    make_anime(title="Mushishi")
    assert browse(client, notag="ecchi") == ["Mushishi"]


def test_several_excluded_tags_leave_out_anime_with_any_of_them(client):
    ecchi, gore = make_tag(name="Ecchi"), make_tag(name="Gore")
    make_anime(title="Kämpfer", tags=[ecchi])
    make_anime(title="Shingeki no Kyojin", tags=[gore])
    make_anime(title="Mushishi")
    assert browse(client, notag=["ecchi", "gore"]) == ["Mushishi"]


def test_included_and_excluded_tags_combine(client):
    action, gore = make_tag(name="Action"), make_tag(name="Gore")
    make_anime(title="Cowboy Bebop", tags=[action])
    make_anime(title="Shingeki no Kyojin", tags=[action, gore])
    make_anime(title="Mushishi")
    assert browse(client, tag="action", notag="gore") == ["Cowboy Bebop"]


def test_studio_filter_lists_only_that_studios_anime(client):
    bones = make_studio(name="Bones")
    make_anime(title="Fullmetal Alchemist", studios=[bones])
    make_anime(title="Cowboy Bebop", studios=[make_studio(name="Sunrise")])
    assert browse(client, studio="bones") == ["Fullmetal Alchemist"]


def test_studio_filter_is_kept_in_the_filter_form(client):
    make_studio(name="Bones")
    assert (
        '<input type="hidden" name="studio" value="bones">'
        in client.get(LIST_URL, {"studio": "bones"}).text
    )


def make_episode_counts() -> None:
    for episodes in (1, 12, 26, 64, None):
        make_anime(title=f"{episodes} episodes", episodes=episodes)


def test_episodes_from_lists_anime_with_at_least_that_many(client):
    make_episode_counts()
    assert sorted(browse(client, episodes_min=26)) == ["26 episodes", "64 episodes"]


def test_episodes_to_lists_anime_with_at_most_that_many(client):
    make_episode_counts()
    assert sorted(browse(client, episodes_max=12)) == ["1 episodes", "12 episodes"]


def test_episode_range_includes_both_ends(client):
    make_episode_counts()
    assert sorted(browse(client, episodes_min=12, episodes_max=26)) == [
        "12 episodes",
        "26 episodes",
    ]


def test_reversed_episode_range_is_swapped_with_a_notice(client):
    make_episode_counts()
    response = client.get(LIST_URL, {"episodes_min": 26, "episodes_max": 12})
    assert sorted(listed(response)) == ["12 episodes", "26 episodes"]
    assert "Read the episode range as 12 to 26." in response.text


def test_filters_combine(client):
    bones = make_studio(name="Bones")
    make_anime(title="FMA", kind=Kind.TV, start_year=2003, studios=[bones])
    make_anime(title="FMA Movie", kind=Kind.MOVIE, start_year=2005, studios=[bones])
    make_anime(title="Wolf's Rain", kind=Kind.TV, start_year=2003)
    assert browse(client, kind="tv", year=2003, studio="bones") == ["FMA"]


def test_search_combines_with_a_filter(client):
    make_anime(title="Blame!", kind=Kind.WEB)
    make_anime(title="Blame! Movie", kind=Kind.MOVIE)
    assert browse(client, q="blame", kind="movie") == ["Blame! Movie"]


# Tag, studio and season pages


def test_tag_page_lists_only_its_anime(client):
    mecha = make_tag(name="Mecha", category=TagCategory.THEME)
    make_anime(title="Blame!", tags=[mecha])
    make_anime(title="Mushishi")
    assert browse(client, reverse("catalog:anime-by-tag", args=["mecha"])) == ["Blame!"]


def test_tag_page_has_the_tag_as_heading(client):
    make_tag(name="Mecha")
    response = client.get(reverse("catalog:anime-by-tag", args=["mecha"]))
    assert heading_of(response.text) == "Mecha anime"


def test_tag_page_combines_with_the_other_filters(client):
    mecha = make_tag(name="Mecha")
    make_anime(title="Blame! Movie", kind=Kind.MOVIE, tags=[mecha])
    make_anime(title="Blame!", kind=Kind.WEB, tags=[mecha])
    url = reverse("catalog:anime-by-tag", args=["mecha"])
    assert browse(client, url, kind="movie") == ["Blame! Movie"]


def test_search_inside_a_tag_page(client):
    mecha = make_tag(name="Mecha")
    make_anime(title="Blame!", tags=[mecha])
    make_anime(title="Blame! Prologue")
    assert browse(client, reverse("catalog:anime-by-tag", args=["mecha"]), q="blame") == ["Blame!"]


def test_studio_page_lists_only_its_anime(client):
    bones = make_studio(name="Bones")
    make_anime(title="Fullmetal Alchemist", studios=[bones])
    make_anime(title="Cowboy Bebop")
    url = reverse("catalog:anime-by-studio", args=["bones"])
    assert browse(client, url) == ["Fullmetal Alchemist"]


def test_studio_page_has_the_studio_as_heading(client):
    make_studio(name="Bones")
    response = client.get(reverse("catalog:anime-by-studio", args=["bones"]))
    assert heading_of(response.text) == "Anime by Bones"


def test_season_page_lists_only_anime_of_that_season(client):
    make_anime(title="Kämpfer", start_year=2009, start_season=Season.FALL)
    make_anime(title="K-On!", start_year=2009, start_season=Season.SPRING)
    make_anime(title="Fall 2010", start_year=2010, start_season=Season.FALL)
    url = reverse("catalog:anime-by-season", args=[2009, "fall"])
    assert browse(client, url) == ["Kämpfer"]


def test_season_page_has_the_season_as_heading(client):
    response = client.get(reverse("catalog:anime-by-season", args=[2009, "fall"]))
    assert heading_of(response.text) == "Fall 2009 anime"


def test_search_inside_a_season_page(client):
    make_anime(title="Kämpfer", start_year=2009, start_season=Season.FALL)
    make_anime(title="Kämpfer für die Gerechtigkeit", start_year=2011, start_season=Season.FALL)
    make_anime(title="Kimi ni Todoke", start_year=2009, start_season=Season.FALL)
    url = reverse("catalog:anime-by-season", args=[2009, "fall"])
    assert browse(client, url, q="kampfer") == ["Kämpfer"]


def test_season_page_takes_no_season_notice_for_its_own_season(client):
    response = client.get(reverse("catalog:anime-by-season", args=[2009, "fall"]))
    assert 'class="notice"' not in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/anime/tag/no-such-tag/",
        "/anime/studio/no-such-studio/",
        "/anime/season/2009/autumn/",
        "/anime/season/2009/Fall/",
        "/anime/season/1899/fall/",
        "/anime/season/2101/fall/",
        "/anime/season/99999999999/fall/",
    ],
)
def test_unknown_tag_studio_or_season_is_a_404(client, url):
    assert client.get(url).status_code == 404


# Sorting


def make_sortable() -> None:
    make_anime(title="Bravo", rank=2, popularity=1, average_rating=Decimal("4.2"), votes=10,
               start_year=1998, episodes=26)  # fmt: skip
    make_anime(title="Alpha", rank=1, popularity=3, average_rating=Decimal("3.1"), votes=10,
               start_year=2011, episodes=12)  # fmt: skip
    make_anime(title="Charlie", popularity=2, average_rating=Decimal("4.9"), votes=3,
               start_year=2004, episodes=64)  # fmt: skip
    make_anime(title="Delta", votes=0, start_year=None, episodes=None)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("rank", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("popularity", ["Bravo", "Charlie", "Alpha", "Delta"]),
        ("rating", ["Charlie", "Bravo", "Alpha", "Delta"]),
        ("title", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("year", ["Alpha", "Charlie", "Bravo", "Delta"]),
        ("episodes", ["Charlie", "Bravo", "Alpha", "Delta"]),
    ],
)
def test_each_sort_orders_the_list_with_unknown_values_last(client, sort, order):
    make_sortable()
    assert browse(client, sort=sort) == order


def test_rank_sort_puts_the_unranked_after_the_ranked_by_popularity(client):
    make_anime(title="Unranked, less popular", popularity=9)
    make_anime(title="Ranked", rank=1, popularity=10)
    make_anime(title="Unranked, popular", popularity=1)
    assert browse(client, sort="rank") == [
        "Ranked",
        "Unranked, popular",
        "Unranked, less popular",
    ]


def test_rating_sort_breaks_ties_by_votes(client):
    make_anime(title="Few votes", average_rating=Decimal("4.0"), votes=2)
    make_anime(title="Many votes", average_rating=Decimal("4.0"), votes=200)
    assert browse(client, sort="rating") == ["Many votes", "Few votes"]


def test_default_sort_is_rank(client):
    make_sortable()
    response = client.get(LIST_URL)
    assert listed(response) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert '<option value="rank" selected>Rank</option>' in response.text


def test_default_sort_of_a_search_is_best_match(client):
    make_anime(title="Naruto: Shippuuden", rank=1)
    make_anime(title="Naruto", rank=2)
    response = client.get(LIST_URL, {"q": "naruto"})
    assert listed(response) == ["Naruto", "Naruto: Shippuuden"]
    assert '<option value="relevance" selected>Best match</option>' in response.text


def test_a_search_can_be_sorted_otherwise(client):
    make_anime(title="Naruto: Shippuuden", rank=1)
    make_anime(title="Naruto", rank=2)
    assert browse(client, q="naruto", sort="rank") == ["Naruto: Shippuuden", "Naruto"]


def test_best_match_without_a_search_sorts_by_rank_and_is_not_offered(client):
    make_sortable()
    response = client.get(LIST_URL, {"sort": "relevance"})
    assert listed(response) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert 'value="relevance"' not in response.text


def test_unknown_sort_is_ignored_with_a_notice(client):
    make_sortable()
    response = client.get(LIST_URL, {"sort": "hype"})
    assert listed(response) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert "Ignored Sort “hype”" in response.text


# Pagination


def make_many(n: int, **fields) -> None:
    for i in range(n):
        make_anime(title=f"Anime {i:03}", **fields)


def test_page_links_keep_the_filters(client):
    make_many(60, kind=Kind.TV, start_year=2009)
    markup = client.get(LIST_URL, {"kind": "tv", "year": 2009, "sort": "title"}).text
    assert 'href="?kind=tv&amp;year=2009&amp;sort=title&amp;page=2"' in markup


def test_page_links_keep_repeated_values(client):
    make_many(30, kind=Kind.TV)
    make_many(30, kind=Kind.MOVIE)
    markup = client.get(LIST_URL, {"kind": ["tv", "movie"]}).text
    assert 'href="?kind=tv&amp;kind=movie&amp;page=2"' in markup


def test_second_page_of_a_filtered_list_shows_the_rest(client):
    make_many(60, kind=Kind.TV)
    make_anime(title="A movie", kind=Kind.MOVIE)
    response = client.get(LIST_URL, {"kind": "tv", "sort": "title", "page": 2})
    assert listed(response)[0] == "Anime 050"
    assert len(listed(response)) == 10


def test_a_page_beyond_the_end_shows_the_last_page_with_a_notice(client):
    make_many(60)
    response = client.get(LIST_URL, {"page": 99})
    assert response.context["page"].number == 2
    assert "There is no page 99: showing the last page, 2." in response.text


def test_a_page_that_is_not_a_number_shows_the_first_page_with_a_notice(client):
    make_many(60)
    response = client.get(LIST_URL, {"page": "abc"})
    assert response.context["page"].number == 1
    assert "Ignored page “abc”: not a number." in response.text


@pytest.mark.parametrize("number", ["0", "-1"])
def test_page_zero_or_below_shows_the_first_page_with_a_notice(client, number):
    make_many(60)
    response = client.get(LIST_URL, {"page": number})
    assert response.context["page"].number == 1
    assert f"There is no page {number}: showing the first page." in response.text


def test_a_huge_page_number_shows_the_last_page(client):
    make_many(60)
    response = client.get(LIST_URL, {"page": "9" * 30})
    assert response.context["page"].number == 2


def test_empty_results_say_so_and_offer_to_clear_the_filters(client):
    make_anime(kind=Kind.TV)
    response = client.get(LIST_URL, {"kind": "movie"})
    assert listed(response) == []
    assert "No anime match these filters." in response.text
    assert f'<a href="{LIST_URL}" hx-get="{LIST_URL}" hx-push-url="true">Clear all filters</a>' in (
        response.text
    )


def test_empty_results_of_a_tag_page_clear_back_to_the_tag_page(client):
    make_tag(name="Mecha")
    url = reverse("catalog:anime-by-tag", args=["mecha"])
    response = client.get(url, {"kind": "movie"})
    assert f'<a href="{url}" hx-get="{url}" hx-push-url="true">Clear all filters</a>' in (
        response.text
    )


def test_a_page_beyond_the_end_of_empty_results_is_the_first_page(client):
    response = client.get(LIST_URL, {"kind": "movie", "page": 3})
    assert response.status_code == 200
    assert response.context["page"].number == 1


# Bad parameters never error: they are left out, and a notice says so


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"year": "abc"}, "Ignored Year “abc”: Enter a whole number."),
        ({"year": "1850"}, "Ignored Year “1850”"),
        ({"episodes_min": "x"}, "Ignored Episodes from “x”: Enter a whole number."),
        ({"episodes_max": "0"}, "Ignored Episodes to “0”"),
        ({"kind": "comic"}, "Ignored Type “comic”"),
        ({"status": "cancelled"}, "Ignored Status “cancelled”"),
        ({"season": "autumn"}, "Ignored Season “autumn”"),
        ({"tag": "unknown-slug"}, "Ignored With tag “unknown-slug”"),
        ({"notag": "unknown-slug"}, "Ignored Without tag “unknown-slug”"),
        ({"studio": "unknown-slug"}, "Ignored Studio “unknown-slug”"),
        ({"q": "a" * 201}, "Ignored Title “" + "a" * 201 + "”"),
    ],
)
def test_a_bad_parameter_is_ignored_with_a_notice(client, params, notice):
    make_anime(title="Cowboy Bebop")
    response = client.get(LIST_URL, params)
    assert listed(response) == ["Cowboy Bebop"]
    assert notice in response.text


@pytest.mark.parametrize("name", ["q", "kind", "tag", "studio", "year", "sort", "page"])
def test_a_nul_character_in_a_parameter_is_ignored(client, name):
    make_anime(title="Cowboy Bebop")
    response = client.get(LIST_URL, {name: "bebop\x00"})
    assert listed(response) == ["Cowboy Bebop"]
    assert "Ignored" in response.text


def test_the_other_filters_still_apply_beside_a_bad_one(client):
    make_anime(title="Cowboy Bebop", kind=Kind.TV)
    make_anime(title="Akira", kind=Kind.MOVIE)
    assert browse(client, kind="movie", year="abc", episodes_min="x") == ["Akira"]


def test_a_known_kind_still_applies_beside_an_unknown_one(client):
    make_anime(title="Cowboy Bebop", kind=Kind.TV)
    make_anime(title="Akira", kind=Kind.MOVIE)
    response = client.get(LIST_URL, {"kind": ["movie", "comic"]})
    assert listed(response) == ["Akira"]
    assert "comic" in text_of(response.text)


def test_a_known_tag_still_applies_beside_an_unknown_one(client):
    mecha = make_tag(name="Mecha")
    make_anime(title="Blame!", tags=[mecha])
    make_anime(title="Mushishi")
    response = client.get(LIST_URL, {"tag": ["mecha", "unknown-slug"]})
    assert listed(response) == ["Blame!"]
    assert "unknown-slug" in text_of(response.text)


def test_a_bad_parameter_on_a_tag_page_is_ignored_with_a_notice(client):
    make_tag(name="Mecha")
    response = client.get(reverse("catalog:anime-by-tag", args=["mecha"]), {"year": "abc"})
    assert response.status_code == 200
    assert "Ignored Year “abc”" in response.text


# Active filter chips


def test_each_filter_in_use_shows_as_a_chip(client):
    make_tag(name="Mecha")
    make_tag(name="Ecchi")
    make_studio(name="Bones")
    markup = client.get(
        LIST_URL,
        {"q": "blame", "kind": ["tv", "movie"], "status": "finished", "year": 2009,
         "season": "fall", "tag": "mecha", "notag": "ecchi", "studio": "bones",
         "episodes_min": 2, "episodes_max": 30},
    ).text  # fmt: skip
    assert list(chips(markup)) == [
        "“blame”",
        "TV",
        "Movie",
        "Finished",
        "2009",
        "Fall",
        "Mecha",
        "not Ecchi",
        "Bones",
        "from 2 eps",
        "to 30 eps",
    ]


def test_a_chip_removes_only_its_own_value(client):
    markup = client.get(LIST_URL, {"kind": ["tv", "movie"], "year": 2009}).text
    assert chips(markup)["TV"] == {"kind": ["movie"], "year": ["2009"]}


def test_a_chip_drops_the_page(client):
    make_many(60, kind=Kind.TV)
    markup = client.get(LIST_URL, {"kind": "tv", "year": 2009, "page": 2}).text
    assert chips(markup)["2009"] == {"kind": ["tv"]}


def test_the_search_chip_removes_the_search_and_keeps_the_filters(client):
    markup = client.get(LIST_URL, {"q": "blame", "kind": "web", "sort": "title"}).text
    assert chips(markup)["“blame”"] == {"kind": ["web"], "sort": ["title"]}


def test_a_chip_of_a_swapped_episode_range_keeps_the_other_bound(client):
    # Asked for 26 to 12, read as 12 to 26: lifting "from 12 eps" leaves "to 26 eps".
    markup = client.get(LIST_URL, {"episodes_min": 26, "episodes_max": 12}).text
    assert chips(markup)["from 12 eps"] == {"episodes_max": ["26"]}


def test_ignored_values_show_no_chip(client):
    markup = client.get(LIST_URL, {"year": "abc", "season": "fall", "kind": "comic"}).text
    assert chips(markup) == {}


def test_a_tag_page_shows_no_chip_for_its_own_tag(client):
    make_tag(name="Mecha")
    markup = client.get(reverse("catalog:anime-by-tag", args=["mecha"]), {"kind": "tv"}).text
    assert list(chips(markup)) == ["TV"]


# htmx


@pytest.mark.parametrize("url", [LIST_URL, "/anime/tag/mecha/"])
def test_htmx_gets_only_the_catalog_fragment(client, url):
    make_anime(title="Blame!", tags=[make_tag(name="Mecha")])
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="catalog"')
    assert "Blame!" in response.text


@pytest.mark.parametrize("url", [LIST_URL, "/anime/tag/mecha/"])
def test_a_plain_request_gets_the_full_page(client, url):
    make_tag(name="Mecha")
    response = client.get(url)
    assert "<html" in response.text
    assert 'id="catalog"' in response.text


@pytest.mark.parametrize(
    "url", [LIST_URL, "/anime/tag/mecha/", "/anime/studio/bones/", "/anime/season/2009/fall/"]
)
def test_catalog_pages_vary_on_htmx(client, url):
    make_tag(name="Mecha")
    make_studio(name="Bones")
    assert "HX-Request" in client.get(url)["Vary"]


def test_htmx_fragment_carries_the_notices(client):
    response = client.get(LIST_URL, {"year": "abc"}, headers=HTMX)
    assert "Ignored Year “abc”" in response.text


# Search suggestions


def suggestions(client, q: str) -> str:
    response = client.get(SUGGEST_URL, {"q": q}, headers=HTMX)
    assert response.status_code == 200
    return response.text


def test_suggestions_list_at_most_eight_anime(client):
    for n in range(10):
        make_anime(title=f"Gundam {n}")
    assert suggestions(client, "gundam").count('<li role="option">') == 8


def test_suggestions_show_each_anime_with_its_cover_and_link(client):
    blame = make_anime(title="Blame!", kind=Kind.WEB, episodes=6, start_year=2003)
    markup = suggestions(client, "blam")
    assert f'<a href="{blame.get_absolute_url()}">' in markup
    assert f'<img src="{html.escape(blame.cover_urls()[75])}" srcset="' in markup
    assert 'sizes="36px" width="36" height="51" alt="" loading="lazy">' in markup
    assert "Blame! Web (6 eps x 24 min) · 2003" in text_of(markup)


def test_suggestions_put_the_best_match_first(client):
    make_anime(title="Blame! Movie", popularity=1)
    make_anime(title="Blame!", popularity=2)
    markup = suggestions(client, "blame!")
    assert markup.index("<strong>Blame!</strong>") < markup.index("<strong>Blame! Movie</strong>")


def test_suggestions_end_with_a_link_to_all_results(client):
    make_anime(title="Steins Gate")
    markup = suggestions(client, "steins;gate")
    assert '<a href="/anime/?q=steins%3Bgate">All results for “steins;gate”</a>' in markup


def test_a_one_character_query_gets_no_suggestions(client):
    make_anime(title="K")
    make_anime(title="K-On!")
    assert "<li" not in suggestions(client, "k")


def test_suggestions_say_when_nothing_matches(client):
    make_anime(title="Cowboy Bebop")
    assert "No anime match “xyzzy”." in suggestions(client, "xyzzy")


def test_suggestions_without_htmx_redirect_to_the_results(client):
    response = client.get(SUGGEST_URL, {"q": "Steins;Gate"})
    assert response.status_code == 302
    assert response.url == "/anime/?q=Steins%3BGate"


def test_suggestions_vary_on_htmx(client):
    assert "HX-Request" in client.get(SUGGEST_URL, {"q": "x"}, headers=HTMX)["Vary"]


def test_suggestions_never_error_on_a_long_query(client):
    make_anime(title="Cowboy Bebop")
    assert "Cowboy Bebop" in suggestions(client, "bebop " * 100)


def test_suggestions_never_error_on_a_nul_character(client):
    make_anime(title="Cowboy Bebop")
    assert "Cowboy Bebop" in suggestions(client, "bebop\x00")


# Queries per page


def make_catalog_of_sixty() -> None:
    studios = [make_studio() for _ in range(3)]
    tags = [make_tag(category=TagCategory.GENRE) for _ in range(3)]
    for i in range(60):
        make_anime(
            title=f"Gundam {i}",
            kind=Kind.TV,
            start_year=2009,
            start_season=Season.FALL,
            studios=studios,
            tags=tags,
        )


def test_a_filtered_search_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    make_catalog_of_sixty()
    tag = make_tag(name="Mecha")
    make_tag(name="Ecchi")
    studio = make_studio(name="Sunrise")
    for anime in Anime.objects.all():
        anime.tags.add(tag)
        anime.studios.add(studio)
    params = {"q": "gundam", "kind": ["tv", "movie"], "year": 2009, "season": "fall",
              "tag": "mecha", "notag": "ecchi", "studio": "sunrise", "episodes_min": 1,
              "page": 2}  # fmt: skip
    # The catalog's version (for the page cache); the form's checks of the tags (with,
    # without) and the studio; the search's titles starting with the text, then its closest
    # titles; the paginator's count; the page of anime with their studios; the tags the filter
    # form offers.
    with django_assert_max_num_queries(9):
        response = client.get(LIST_URL, params)
    assert len(response.context["page"]) == 10


def test_a_tag_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    make_catalog_of_sixty()
    tag = Anime.objects.first().tags.first()
    # The catalog's version (for the page cache); the tag; the search's titles starting with
    # the text, then its closest titles; the paginator's count; the page of anime with their
    # studios. A tag page offers no tags to filter by.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("catalog:anime-by-tag", args=[tag.slug]), {"q": "gundam"})
    assert len(response.context["page"]) == 50


def test_a_search_alone_counts_its_ranking_and_reads_only_its_page(
    client, django_assert_num_queries
):
    make_catalog_of_sixty()
    # The catalog's version (for the page cache); the titles starting with the text, then the
    # closest titles; the page's anime with their studios; the tags the filter form offers.
    # No count: the ranking holds every result.
    with django_assert_num_queries(5):
        response = client.get(LIST_URL, {"q": "gundam", "page": 2})
    page = response.context["page"]
    assert (page.paginator.count, len(page)) == (60, 10)


def test_suggestions_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    make_catalog_of_sixty()
    # The catalog's version (for the page cache), the titles starting with the text, the
    # eight closest titles, then those eight anime; studios and tags aren't shown.
    with django_assert_max_num_queries(4):
        markup = suggestions(client, "gundam")
    assert markup.count('<li role="option">') == 8


def test_filter_form_ticks_the_chosen_kinds_and_tags(client):
    make_tag(name="Action", category=TagCategory.GENRE)
    make_tag(name="Comedy", category=TagCategory.GENRE)
    response = client.get(LIST_URL, {"kind": "tv", "tag": "action", "notag": "comedy"})
    assert 'id="kind-tv" type="checkbox" name="kind" value="tv" checked>' in response.text
    assert 'id="kind-movie" type="checkbox" name="kind" value="movie">' in response.text
    assert 'id="tag-action" type="checkbox" name="tag" value="action" checked>' in response.text
    assert 'id="notag-comedy" type="checkbox" name="notag" value="comedy" checked>' in response.text
    assert 'id="tag-comedy" type="checkbox" name="tag" value="comedy">' in response.text


def test_filter_form_escapes_tag_names(client):
    make_tag(name="<b>Bold</b> & more", category=TagCategory.THEME)
    response = client.get(LIST_URL)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; more</label>" in response.text
