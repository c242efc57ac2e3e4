from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review
from tests.factories import make_anime, make_review, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def anime():
    return make_anime(title="Planetes")


def titles_in(html: str) -> list[str]:
    """Review titles in page order, from the cards' headings."""
    return re.findall(r'<h3 id="review-\d+-title"><a href="[^"]+">([^<]+)</a>', html)


def voted(review: Review, helpful: int, unhelpful: int = 0) -> Review:
    Review.objects.filter(pk=review.pk).update(helpful_votes=helpful, unhelpful_votes=unhelpful)
    return review


def aged(review: Review, days: int) -> Review:
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=days))
    return review


# The anime page


def test_anime_page_shows_the_three_most_helpful_reviews_and_the_count(client, anime):
    for helpful in [3, 40, 0, 12, 25]:
        voted(make_review(anime=anime, title=f"Helpful {helpful}"), helpful)
    html = client.get(anime.get_absolute_url()).text
    assert titles_in(html) == ["Helpful 40", "Helpful 25", "Helpful 12"]
    assert "See all 5 reviews" in html
    assert reverse("reviews:anime-reviews", args=[anime.slug]) in html


def test_anime_page_card_has_score_author_date_excerpt_and_read_more(client, anime):
    author = make_user("hachimaki")
    review = make_review(anime=anime, author=author, overall=9, body="Space debris. " * 60)
    html = client.get(anime.get_absolute_url()).text
    assert '<p class="score-badge" title="Overall score">9<' in html
    assert ">hachimaki</a>" in html
    assert review.created_at.strftime("%b %-d, %Y") in html
    # The excerpt ends early with an ellipsis; the whole review is a link away.
    assert "Space debris. " * 20 in html
    assert "Space debris. " * 60 not in html
    assert "…" in html
    assert f'<a href="{review.get_absolute_url()}">Read more' in html


def test_anime_page_without_reviews_invites_the_first(client, anime):
    html = client.get(anime.get_absolute_url()).text
    assert "No reviews yet" in html
    assert "Log in to write a review" in html
    assert "See all" not in html


def test_members_get_a_write_link_and_authors_a_link_to_their_own(client, anime):
    member = make_user()
    client.force_login(member)
    html = client.get(anime.get_absolute_url()).text
    assert reverse("reviews:write-review", args=[anime.slug]) in html
    review = make_review(anime=anime, author=member)
    html = client.get(anime.get_absolute_url()).text
    assert f'<a href="{review.get_absolute_url()}">Your review</a>' in html


def test_anime_page_reviews_add_no_csrf_token_for_anonymous_visitors(client, anime):
    make_review(anime=anime)
    assert "csrfmiddlewaretoken" not in client.get(anime.get_absolute_url()).text


# An anime's reviews, sorted and paginated


@pytest.fixture
def four_reviews(anime):
    voted(aged(make_review(anime=anime, title="Old helpful", overall=6), 30), 50, 5)
    voted(aged(make_review(anime=anime, title="Middling", overall=8), 20), 3, 3)
    voted(aged(make_review(anime=anime, title="Harsh", overall=2), 10), 10, 1)
    voted(make_review(anime=anime, title="Fresh", overall=10), 0)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("helpful", ["Old helpful", "Harsh", "Middling", "Fresh"]),
        ("newest", ["Fresh", "Harsh", "Middling", "Old helpful"]),
        ("highest", ["Fresh", "Middling", "Old helpful", "Harsh"]),
        ("lowest", ["Harsh", "Old helpful", "Middling", "Fresh"]),
        ("nonsense", ["Old helpful", "Harsh", "Middling", "Fresh"]),
    ],
)
def test_an_anime_s_reviews_sort(client, anime, four_reviews, sort, expected):
    url = reverse("reviews:anime-reviews", args=[anime.slug])
    assert titles_in(client.get(url, {"sort": sort}).text) == expected


def test_an_anime_s_reviews_come_twenty_to_a_page(client, anime):
    for n in range(23):
        aged(make_review(anime=anime, title=f"Review number {n}"), n)
    url = reverse("reviews:anime-reviews", args=[anime.slug])
    first = titles_in(client.get(url, {"sort": "newest"}).text)
    second = client.get(url, {"sort": "newest", "page": 2}).text
    assert len(first) == 20
    assert titles_in(second) == ["Review number 20", "Review number 21", "Review number 22"]
    assert "Page 2 of 2" in second
    assert "23 reviews" in second


def test_an_anime_s_reviews_only_lists_that_anime(client, anime):
    make_review(anime=anime, title="On topic")
    make_review(title="Elsewhere")
    url = reverse("reviews:anime-reviews", args=[anime.slug])
    assert titles_in(client.get(url).text) == ["On topic"]


def test_htmx_gets_just_the_list_when_the_sort_changes(client, anime, four_reviews):
    url = reverse("reviews:anime-reviews", args=[anime.slug])
    response = client.get(url, {"sort": "lowest"}, headers=HTMX)
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="review-list"')
    assert titles_in(response.text)[0] == "Harsh"
    assert "HX-Request" in response["Vary"]


def test_reviews_of_an_unknown_anime_are_a_404(client):
    assert client.get(reverse("reviews:anime-reviews", args=["no-such-anime"])).status_code == 404


# One review


def test_review_page_shows_the_scores_and_the_whole_text(client, anime):
    review = make_review(
        anime=anime, story=6, animation=9, sound=8, characters=7, overall=8, body="Word " * 200
    )
    html = client.get(review.get_absolute_url()).text
    for label, score in [("Story", 6), ("Animation", 9), ("Sound", 8), ("Characters", 7)]:
        assert f"<dt>{label}</dt><dd>{score}<" in html
    assert '<div class="review-overall"><dt>Overall</dt><dd>8<' in html
    assert "Word " * 199 + "Word</p>" in html
    assert "…" not in html.split('class="review-text"')[1].split("</div>")[0]


def test_an_unknown_review_is_a_404(client):
    assert client.get(reverse("reviews:review-detail", args=[999999])).status_code == 404


def test_a_spoiler_review_is_collapsed_until_opened(client, anime):
    review = make_review(anime=anime, spoilers=True, body="The ending reveals everything. " * 12)
    page = client.get(review.get_absolute_url()).text
    card = client.get(anime.get_absolute_url()).text
    for html in (page, card):
        assert re.search(
            r'<details class="spoiler">\s*<summary>This review contains spoilers. Show it</summary>\s*'
            r'<div class="review-text"><p>The ending reveals everything.',
            html,
        )
        assert '<details class="spoiler" open' not in html


def test_a_review_without_spoilers_is_not_collapsed(client, anime):
    review = make_review(anime=anime)
    assert "<details" not in client.get(review.get_absolute_url()).text


# Latest reviews, a user's reviews


def test_latest_reviews_are_newest_first_across_anime(client):
    aged(make_review(title="Last week"), 7)
    make_review(title="Today")
    aged(make_review(title="Yesterday"), 1)
    html = client.get(reverse("reviews:latest")).text
    assert titles_in(html) == ["Today", "Yesterday", "Last week"]
    assert reverse("reviews:feed") in html


def test_profile_shows_the_users_reviews_even_when_their_list_is_private(client):
    author = make_user("yuri", list_is_public=False)
    make_review(author=author, title="On the Toy Box")
    make_review(title="Someone else's")
    html = client.get(reverse("accounts:profile", args=["yuri"])).text
    assert titles_in(html) == ["On the Toy Box"]
    assert "list is private" in html


def test_profile_links_to_all_of_a_prolific_users_reviews(client):
    author = make_user("fee")
    for n in range(7):
        aged(make_review(author=author, title=f"Take {n}"), n)
    html = client.get(reverse("accounts:profile", args=["fee"])).text
    assert titles_in(html) == [f"Take {n}" for n in range(5)]
    assert "See all 7 reviews by fee" in html
    all_of_them = client.get(reverse("reviews:user-reviews", args=["fee"])).text
    assert len(titles_in(all_of_them)) == 7


# Hidden reviews


@pytest.fixture
def hidden(anime):
    make_review(anime=anime, title="Still here")
    review = make_review(anime=anime, title="Gone quiet")
    review.hide("Copied from another site.", by=make_user())
    return review


def test_hidden_reviews_are_absent_from_every_page(client, anime, hidden):
    pages = [
        anime.get_absolute_url(),
        reverse("reviews:anime-reviews", args=[anime.slug]),
        reverse("reviews:latest"),
        reverse("accounts:profile", args=[hidden.author.username]),
        reverse("reviews:user-reviews", args=[hidden.author.username]),
        reverse("reviews:feed"),
    ]
    for url in pages:
        html = client.get(url).text
        assert "Gone quiet" not in html, url
    assert "See all 1 review" in client.get(anime.get_absolute_url()).text
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_hidden_reviews_stay_in_the_database(hidden):
    assert Review.objects.filter(pk=hidden.pk).exists()
    assert not Review.objects.visible().filter(pk=hidden.pk).exists()


def test_the_author_of_a_hidden_review_sees_it_with_the_reason(client, hidden):
    client.force_login(hidden.author)
    page = client.get(hidden.get_absolute_url()).text
    assert "Hidden by the moderators." in page
    assert "Copied from another site." in page
    profile = client.get(reverse("accounts:profile", args=[hidden.author.username])).text
    assert "Gone quiet" in profile
    assert "Hidden by the moderators: Copied from another site." in profile


# The Atom feed


def test_the_feed_is_valid_atom_of_the_latest_reviews(client):
    aged(make_review(title="Older", anime=make_anime(title="Haibane Renmei")), 2)
    newest = make_review(title="Newer", author=make_user("rakka"), overall=9)
    response = client.get(reverse("reviews:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Animedex: latest reviews"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        f"Newer — a review of {newest.anime.title} (9/10)",
        "Older — a review of Haibane Renmei (7/10)",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"http://testserver{newest.get_absolute_url()}"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "rakka"
    assert first.findtext(f"{ATOM}id")
    assert first.findtext(f"{ATOM}updated")
    assert "<p>" in first.findtext(f"{ATOM}summary")


def test_the_feed_keeps_spoilers_out_of_the_summary(client):
    make_review(spoilers=True, body="Everybody dies at the end. " * 15)
    feed = ElementTree.fromstring(client.get(reverse("reviews:feed")).content)
    summary = feed.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert "Everybody dies" not in summary
    assert "contains spoilers" in summary


# Query counts: one query per kind of thing, however many reviews and votes


@pytest.fixture
def busy_anime(anime):
    authors = [make_user() for _ in range(6)]
    for author in authors:
        review = make_review(anime=anime, author=author)
        for voter in authors:
            if voter != author:
                review.vote(voter, True)
    return anime


def test_an_anime_s_reviews_page_takes_a_fixed_number_of_queries(
    client, busy_anime, django_assert_max_num_queries
):
    client.force_login(make_user())
    url = reverse("reviews:anime-reviews", args=[busy_anime.slug])
    # Session, user, anime, the reader's own review, count, page of reviews with their authors.
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_latest_reviews_page_takes_a_fixed_number_of_queries(
    client, busy_anime, django_assert_max_num_queries
):
    # Count, page of reviews with their anime and authors.
    with django_assert_max_num_queries(2):
        assert client.get(reverse("reviews:latest")).status_code == 200


def test_a_users_reviews_page_takes_a_fixed_number_of_queries(
    client, busy_anime, django_assert_max_num_queries
):
    author = busy_anime.reviews.first().author
    for _ in range(4):
        make_review(author=author)
    # User, count, page of reviews with their anime and authors.
    with django_assert_max_num_queries(3):
        client.get(reverse("reviews:user-reviews", args=[author.username]))


def test_a_review_page_takes_a_fixed_number_of_queries(
    client, busy_anime, django_assert_max_num_queries
):
    client.force_login(make_user())
    review = busy_anime.reviews.first()
    # Session, user, review with anime and author, the reader's vote.
    with django_assert_max_num_queries(4):
        assert client.get(review.get_absolute_url()).status_code == 200


def test_the_anime_page_reviews_block_takes_as_many_queries_for_many_reviews_as_for_one(
    client, anime, django_assert_num_queries
):
    make_review(anime=anime)
    with CaptureQueriesContext(connection) as one_review:
        client.get(anime.get_absolute_url())
    for author in [make_user() for _ in range(5)]:
        make_review(anime=anime, author=author).vote(make_user(), True)
    with django_assert_num_queries(len(one_review.captured_queries)):
        client.get(anime.get_absolute_url())
