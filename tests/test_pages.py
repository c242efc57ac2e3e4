from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from catalog.models import (
    AiringStatus,
    Anime,
    AnimeRelation,
    AnimeTitle,
    Kind,
    RelationType,
    Season,
    TagCategory,
    TitleKind,
)
from tests.factories import make_anime, make_studio, make_tag

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:anime-list")


def detail(client, anime: Anime) -> str:
    response = client.get(anime.get_absolute_url())
    assert response.status_code == 200
    return response.text


def text_of(html: str) -> str:
    """The page's words with tags dropped and whitespace collapsed, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# The anime page


def test_anime_page_shows_the_title_as_heading(client):
    anime = make_anime(title="Cowboy Bebop")
    assert '<h1 id="anime-title">Cowboy Bebop</h1>' in detail(client, anime)


def test_anime_page_shows_the_kind_line(client):
    anime = make_anime(kind=Kind.WEB, episodes=6, episode_minutes=5)
    assert "Web (6 eps x 5 min)" in detail(client, anime)


def test_anime_page_shows_a_question_mark_for_an_unknown_episode_count(client):
    anime = make_anime(kind=Kind.TV, episodes=None, episode_minutes=None)
    assert "TV (? eps)" in detail(client, anime)


def test_anime_page_shows_the_rating_with_three_decimals_and_the_votes(client):
    anime = make_anime(average_rating=Decimal("2.599"), votes=2108)
    assert "2.599 out of 5 from 2,108 votes" in text_of(detail(client, anime))


def test_anime_page_shows_one_vote_in_the_singular(client):
    anime = make_anime(average_rating=Decimal("4.5"), votes=1)
    assert "4.500 out of 5 from 1 vote" in text_of(detail(client, anime))


def test_anime_page_shows_the_rank(client):
    anime = make_anime(rank=7593)
    assert "Rank #7,593" in detail(client, anime)


def test_anime_page_hides_rating_and_rank_while_there_are_none(client):
    html = detail(client, make_anime(votes=0, average_rating=None, rank=None))
    assert "out of 5" not in html
    assert "Rank #" not in html
    assert "stars" not in html


def test_an_anime_with_nothing_known_reads_without_none(client):
    html = detail(client, Anime.objects.create(title="Mystery"))
    assert "None" not in html
    assert "Unknown type (? eps)" in html
    assert 'id="facts"' not in html
    assert 'id="tags"' not in html
    assert 'id="related"' not in html


def test_anime_page_shows_a_range_of_years_and_the_season(client):
    anime = make_anime(start_year=2009, end_year=2010, start_season=Season.FALL)
    html = text_of(detail(client, anime))
    assert "2009 - 2010" in html
    assert "Fall 2009" in html


def test_anime_page_shows_a_single_year(client):
    html = text_of(detail(client, make_anime(start_year=2003, end_year=2003)))
    assert "2003" in html
    assert "2003 - 2003" not in html


def test_anime_page_shows_the_studios(client):
    anime = make_anime(studios=[make_studio(name="Bones"), make_studio(name="Sunrise")])
    html = detail(client, anime)
    assert (
        '<a href="/anime/studio/bones/">Bones</a>, <a href="/anime/studio/sunrise/">Sunrise</a>'
        in html
    )


def test_anime_page_shows_alternative_titles(client):
    anime = make_anime(title="Shingeki no Kyojin")
    AnimeTitle.objects.create(anime=anime, title="進撃の巨人", kind=TitleKind.JAPANESE)
    AnimeTitle.objects.create(anime=anime, title="Attack on Titan", kind=TitleKind.ENGLISH)
    assert "Alt titles: Attack on Titan, 進撃の巨人" in detail(client, anime)


def test_anime_page_shows_status_source_and_age_rating(client):
    anime = make_anime(
        airing_status=AiringStatus.FINISHED, source_material="Manga", age_rating="PG-13"
    )
    html = text_of(detail(client, anime))
    assert "Status Finished" in html
    assert "Source Manga" in html
    assert "Age rating PG-13" in html


def test_anime_page_shows_the_synopsis_in_paragraphs(client):
    anime = make_anime(synopsis="First paragraph.\n\nSecond & last.")
    html = detail(client, anime)
    assert "<p>First paragraph.</p>" in html
    assert "<p>Second &amp; last.</p>" in html


def test_anime_page_says_so_when_there_is_no_synopsis(client):
    assert "No synopsis yet." in detail(client, make_anime(synopsis="  \n"))


def test_anime_page_shows_tags_as_chips(client):
    anime = make_anime(
        tags=[make_tag(name="Action", category=TagCategory.GENRE), make_tag(name="Space")]
    )
    html = detail(client, anime)
    assert 'class="chip chip-genre" href="/anime/tag/action/" title="Genre">Action</a>' in html
    assert 'class="chip chip-tag" href="/anime/tag/space/" title="Tag">Space</a>' in html


def test_anime_page_links_related_anime_grouped_by_relation(client):
    anime = make_anime(title="Bebop")
    sequel = make_anime(title="Bebop Again", start_year=2005)
    movie = make_anime(title="Bebop Movie", start_year=2001)
    AnimeRelation.objects.create(
        from_anime=anime, to_anime=sequel, relation_type=RelationType.SEQUEL
    )
    AnimeRelation.objects.create(
        from_anime=anime, to_anime=movie, relation_type=RelationType.SIDE_STORY
    )
    html = detail(client, anime)
    assert f'href="{sequel.get_absolute_url()}"' in html
    assert "Sequel Bebop Again (2005)" in text_of(html)
    assert "Side story Bebop Movie (2001)" in text_of(html)


def test_anime_page_lists_sequels_before_other_relations(client):
    anime = make_anime()
    for relation_type in (RelationType.OTHER, RelationType.ADAPTATION, RelationType.SEQUEL):
        AnimeRelation.objects.create(
            from_anime=anime, to_anime=make_anime(), relation_type=relation_type
        )
    html = detail(client, anime)
    assert html.index("<dt>Sequel</dt>") < html.index("<dt>Adaptation</dt>")
    assert html.index("<dt>Adaptation</dt>") < html.index("<dt>Other</dt>")


def test_anime_page_shows_the_cover_with_its_size(client):
    anime = make_anime(title="Cowboy Bebop")
    cover = re.search(r'<img class="cover" [^>]*>', detail(client, anime)).group()
    assert f'src="{escape(anime.cover_urls()[225])}"' in cover
    assert 'sizes="225px" width="225" height="318" alt="Cover of Cowboy Bebop">' in cover


def test_unknown_anime_is_a_styled_404(client):
    response = client.get(reverse("catalog:anime-detail", kwargs={"slug": "no-such-anime"}))
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Browse the anime catalog" in response.text


def test_anime_page_refuses_post(client):
    anime = make_anime()
    assert client.post(anime.get_absolute_url()).status_code == 405


def test_anime_page_answers_head(client):
    assert client.head(make_anime().get_absolute_url()).status_code == 200


def test_anime_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    anime = make_anime(
        studios=[make_studio() for _ in range(3)], tags=[make_tag() for _ in range(4)]
    )
    for n in range(3):
        AnimeTitle.objects.create(anime=anime, title=f"Alias {n}")
        AnimeRelation.objects.create(
            from_anime=anime, to_anime=make_anime(), relation_type=RelationType.SEQUEL
        )
    # The anime, then one query each for its studios, tags, titles and relations (with the
    # related anime joined in), the User Stats figures, the reviews with their count, the public
    # custom lists with theirs, the related manga, the Characters block and the Staff block; first
    # of all the anime's page version, for the page cache.
    # (+1: the recommendations block, userlists.)
    with django_assert_num_queries(13):
        client.get(anime.get_absolute_url())


# The catalog index


def test_home_redirects_to_the_catalog(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == LIST_URL


def test_index_lists_anime_with_kind_years_and_studios(client):
    anime = make_anime(
        title="Cowboy Bebop",
        kind=Kind.TV,
        episodes=26,
        episode_minutes=24,
        start_year=1998,
        end_year=1999,
        studios=[make_studio(name="Sunrise")],
    )
    html = client.get(LIST_URL).text
    assert f'<a href="{anime.get_absolute_url()}">Cowboy Bebop</a>' in html
    assert "TV (26 eps x 24 min)" in html
    assert "1998 - 1999" in html
    assert "Sunrise" in html


def test_index_thumbnails_are_lazy_with_a_size(client):
    anime = make_anime()
    html = client.get(LIST_URL).text
    thumbnail = re.search(r'<li class="anime-row">\s*(<img [^>]*>)', html).group(1)
    assert thumbnail.startswith(f'<img src="{escape(anime.cover_urls()[75])}" srcset="')
    assert thumbnail.endswith('sizes="75px" width="75" height="106" alt="" loading="lazy">')


def test_index_puts_ranked_anime_first(client):
    make_anime(title="Unranked", popularity=1)
    make_anime(title="Second", rank=2)
    make_anime(title="First", rank=1)
    html = client.get(LIST_URL).text
    assert html.index(">First<") < html.index(">Second<") < html.index(">Unranked<")


def make_many_anime(n: int) -> list[Anime]:
    return [make_anime(title=f"Anime {i:03}") for i in range(n)]


def test_index_shows_fifty_anime_a_page(client):
    make_many_anime(60)
    response = client.get(LIST_URL)
    assert len(response.context["page"]) == 50
    assert "Page 1 of 2" in response.text
    assert "60 anime, showing 1–50" in response.text


def test_index_second_page_shows_the_rest(client):
    make_many_anime(60)
    response = client.get(LIST_URL, {"page": 2})
    assert [anime.title for anime in response.context["page"]][0] == "Anime 050"
    assert len(response.context["page"]) == 10


@pytest.mark.parametrize(("page", "number"), [("999999", 2), ("abc", 1), ("-1", 1), ("", 1)])
def test_index_out_of_range_pages_never_error(client, page, number):
    make_many_anime(60)
    response = client.get(LIST_URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == number


def test_index_filters_by_title_ignoring_case(client):
    make_anime(title="Cowboy Bebop")
    make_anime(title="Trigun")
    response = client.get(LIST_URL, {"q": "BEBOP"})
    assert [anime.title for anime in response.context["page"]] == ["Cowboy Bebop"]


def test_index_filters_by_alternative_title_listing_each_anime_once(client):
    anime = make_anime(title="Shingeki no Kyojin")
    AnimeTitle.objects.create(anime=anime, title="Attack on Titan", kind=TitleKind.ENGLISH)
    AnimeTitle.objects.create(anime=anime, title="Attack on Titan: Season 1")
    make_anime(title="Trigun")
    response = client.get(LIST_URL, {"q": "attack"})
    assert list(response.context["page"]) == [anime]


def test_index_keeps_the_query_in_the_search_box_and_pagination(client):
    for i in range(60):
        make_anime(title=f"Gundam {i}")
    html = client.get(LIST_URL, {"q": "gundam"}).text
    assert 'name="q" value="gundam"' in html
    assert 'href="?q=gundam&amp;page=2"' in html


def test_index_says_when_nothing_matches(client):
    make_anime(title="Trigun")
    html = client.get(LIST_URL, {"q": "zzz"}).text
    assert "No anime match “zzz”." in html
    assert "anime-list" not in html


def test_index_says_when_the_catalog_is_empty(client):
    assert "No anime here yet." in client.get(LIST_URL).text


def test_index_answers_htmx_with_the_results_fragment_only(client):
    make_anime(title="Trigun")
    response = client.get(LIST_URL, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert 'id="results"' in response.text
    assert "Trigun" in response.text


def test_index_varies_on_htmx(client):
    assert "HX-Request" in client.get(LIST_URL)["Vary"]


def test_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    studios = [make_studio() for _ in range(3)]
    for i in range(60):
        make_anime(title=f"Anime {i}", studios=studios, tags=[make_tag()])
    # The catalog's version (for the page cache), the search's closest titles, the count for
    # the paginator, the page of anime with their studios, and the tags the filter form offers.
    with django_assert_num_queries(5):
        client.get(LIST_URL, {"page": 2, "q": "anime"})


# The base layout


def test_layout_links_to_log_in_with_next(client):
    assert 'href="/accounts/login/?next=/anime/%3Fq%3Dx"' in client.get(LIST_URL, {"q": "x"}).text


def test_layout_credits_the_catalog_data(client):
    html = text_of(client.get(LIST_URL).text)
    assert (
        "Catalog data: 14,000 MyAnimeList entries scraped in March 2023, published by"
        " FerminDRA/AnimeCompleteList on GitHub" in html
    )


def test_anonymous_pages_carry_no_csrf_token_and_set_no_cookie(client):
    anime = make_anime()
    for url in (LIST_URL, anime.get_absolute_url()):
        response = client.get(url)
        assert "csrfmiddlewaretoken" not in response.text
        assert not response.cookies


def test_server_error_page_renders_without_a_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "Something went wrong" in html
