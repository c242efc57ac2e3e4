from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

import throttle.models
from reviews.models import RATE_LIMIT, Review, ReviewLimitReached
from tests.factories import REVIEW_BODY, make_anime, make_review, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def anime():
    return make_anime(title="Mushishi")


@pytest.fixture
def member(client):
    user = make_user("ginko")
    client.force_login(user)
    return user


def review_data(**overrides: str) -> dict[str, str]:
    return {
        "title": "Quiet, strange and kind",
        "body": REVIEW_BODY,
        "story": "8",
        "animation": "9",
        "sound": "10",
        "characters": "7",
        "overall": "9",
        **overrides,
    }


def write_url(anime) -> str:
    return reverse("reviews:write-review", args=[anime.slug])


def test_anonymous_visitor_is_sent_to_log_in_to_write(client, anime):
    response = client.get(write_url(anime))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_member_writes_a_review_and_lands_on_it(client, member, anime):
    response = client.post(write_url(anime), review_data(spoilers="on"))
    review = Review.objects.get()
    assert response.status_code == 302
    assert response.url == review.get_absolute_url()
    assert (review.author, review.anime, review.title) == (member, anime, "Quiet, strange and kind")
    assert [review.story, review.animation, review.sound, review.characters, review.overall] == [
        8,
        9,
        10,
        7,
        9,
    ]
    assert review.spoilers is True
    assert review.edited_at is None


def test_write_form_offers_five_scores_and_a_live_counter_script(client, member, anime):
    html = client.get(write_url(anime)).text
    for name in ("story", "animation", "sound", "characters", "overall"):
        assert f'name="{name}"' in html
    assert 'data-min-length="300"' in html
    assert 'id="body-count"' in html
    assert "/static/js/reviews" in html
    # The counter comes from a file: the page has no inline script.
    assert "<script>" not in html


def test_the_write_page_of_a_reviewed_anime_opens_the_review_to_edit(client, member, anime):
    review = make_review(anime=anime, author=member)
    response = client.get(write_url(anime))
    assert response.status_code == 302
    assert response.url == reverse("reviews:edit-review", args=[review.pk])


def test_a_second_review_of_the_same_anime_is_a_form_error_not_a_500(client, member, anime):
    first = make_review(anime=anime, author=member)
    response = client.post(write_url(anime), review_data(title="Second thoughts"))
    assert response.status_code == 409
    assert "You have already reviewed this anime." in response.text
    assert reverse("reviews:edit-review", args=[first.pk]) in response.text
    # The draft is still there to copy.
    assert "Second thoughts" in response.text
    assert Review.objects.count() == 1


def test_the_database_holds_one_review_per_author_and_anime(member, anime):
    make_review(anime=anime, author=member)
    with pytest.raises(IntegrityError):
        make_review(anime=anime, author=member)


def test_a_short_body_is_an_error_below_it_and_the_form_keeps_every_field(client, member, anime):
    response = client.post(
        write_url(anime), review_data(body="Too short to say much.", spoilers="on", sound="3")
    )
    html = response.text
    assert response.status_code == 400
    assert "A review needs at least 300 characters; this one has 22." in html
    assert html.index('id="id_body"') < html.index("A review needs at least 300")
    assert 'value="Quiet, strange and kind"' in html
    assert "\nToo short to say much.</textarea>" in html
    assert '<option value="3" selected>' in html
    assert 'name="spoilers" id="id_spoilers" checked' in html
    assert not Review.objects.exists()


def test_line_breaks_count_as_one_character_as_the_live_counter_counts_them(client, member, anime):
    # 299 characters with a browser's CRLF, 298 + 1 once normalised: one short of the minimum.
    body = "a" * 149 + "\r\n" + "b" * 148
    response = client.post(write_url(anime), review_data(body=body))
    assert "this one has 298" in response.text


@pytest.mark.parametrize("score", ["0", "11", "", "seven"])
def test_scores_run_from_1_to_10(client, member, anime, score):
    response = client.post(write_url(anime), review_data(story=score))
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_the_database_refuses_a_score_out_of_10(anime):
    with pytest.raises(IntegrityError):
        make_review(anime=anime, overall=11)


def test_author_edits_their_review_and_it_says_edited(client, member, anime):
    review = make_review(anime=anime, author=member, title="First take")
    edit_url = reverse("reviews:edit-review", args=[review.pk])
    assert 'value="First take"' in client.get(edit_url).text
    response = client.post(edit_url, review_data(title="Second take", overall="4"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.title, review.overall) == ("Second take", 4)
    assert review.edited_at is not None
    assert "edited" in client.get(review.get_absolute_url()).text


def test_saving_an_unchanged_review_does_not_date_it_edited(client, member, anime):
    review = make_review(anime=anime, author=member)
    data = review_data(title=review.title, body=review.body.replace("\n", "\r\n"))
    data.update(dict.fromkeys(["story", "animation", "sound", "characters", "overall"], "7"))
    client.post(reverse("reviews:edit-review", args=[review.pk]), data)
    review.refresh_from_db()
    assert review.edited_at is None


def test_editing_someone_elses_review_is_forbidden(client, member, anime):
    review = make_review(anime=anime, title="Not yours")
    url = reverse("reviews:edit-review", args=[review.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, review_data(title="Mine now")).status_code == 403
    review.refresh_from_db()
    assert review.title == "Not yours"


def test_deleting_someone_elses_review_is_forbidden(client, member, anime):
    review = make_review(anime=anime)
    url = reverse("reviews:delete-review", args=[review.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()


def test_author_deletes_their_review_after_confirming(client, member, anime):
    review = make_review(anime=anime, author=member)
    url = reverse("reviews:delete-review", args=[review.pk])
    assert "Delete the review" in client.get(url).text
    response = client.post(url)
    assert response.url == reverse("reviews:anime-reviews", args=[anime.slug])
    assert not Review.objects.exists()
    assert "Your review is deleted." in client.get(response.url).text


@pytest.fixture
def clock(monkeypatch):
    """The rate limit's clock, stopped in the middle of a minute and moved by hand."""
    moments = [datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC)]
    monkeypatch.setattr(throttle.models, "now", lambda: moments[-1])
    return moments


def post_reviews(author, n: int) -> None:
    fields = dict.fromkeys(["story", "animation", "sound", "characters", "overall"], 7)
    for _ in range(n):
        Review.objects.post(
            author=author, anime=make_anime(), title="Quick", body=REVIEW_BODY, **fields
        )


def test_posting_faster_than_the_limit_is_a_429_with_the_form_kept(client, member, clock):
    post_reviews(member, RATE_LIMIT)
    response = client.post(write_url(make_anime()), review_data(title="One too many"))
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert f"You have posted {RATE_LIMIT} reviews in the last minute" in response.text
    assert 'value="One too many"' in response.text
    assert Review.objects.count() == RATE_LIMIT


def test_a_new_minute_starts_the_count_again(client, member, clock):
    post_reviews(member, RATE_LIMIT)
    clock.append(clock[-1] + timedelta(seconds=31))
    response = client.post(write_url(make_anime()), review_data())
    assert response.status_code == 302


def test_the_limit_is_per_author(client, member, clock):
    post_reviews(make_user(), RATE_LIMIT)
    assert client.post(write_url(make_anime()), review_data()).status_code == 302


def test_a_refused_post_does_not_count(client, member, anime, clock):
    make_review(anime=anime, author=member)
    for _ in range(RATE_LIMIT + 1):
        assert client.post(write_url(anime), review_data()).status_code == 409
    post_reviews(member, RATE_LIMIT)


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_once_cannot_both_slip_under_the_limit(clock):
    author = make_user()
    post_reviews(author, RATE_LIMIT - 1)
    targets = [make_anime(), make_anime()]
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def post(anime) -> None:
        try:
            barrier.wait()
            fields = {
                "title": "Race",
                "body": REVIEW_BODY,
                **dict.fromkeys(["story", "animation", "sound", "characters", "overall"], 5),
            }
            Review.objects.post(author=author, anime=anime, **fields)
            outcomes.append("posted")
        except ReviewLimitReached:
            outcomes.append("limited")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(anime,)) for anime in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["limited", "posted"]
    assert Review.objects.filter(author=author).count() == RATE_LIMIT
