from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from reviews.models import HelpfulVote, Review
from tests.factories import make_anime, make_review, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def review():
    return make_review(title="Worth a look")


@pytest.fixture
def reader(client):
    user = make_user("reader")
    client.force_login(user)
    return user


def vote_url(review) -> str:
    return reverse("reviews:vote", args=[review.pk])


def counts(review) -> tuple[int, int]:
    review.refresh_from_db()
    return review.helpful_votes, review.unhelpful_votes


def with_votes(review: Review, helpful: int, unhelpful: int) -> Review:
    for answer, how_many in ((True, helpful), (False, unhelpful)):
        for _ in range(how_many):
            review.vote(make_user(), answer)
    return review


def test_a_yes_counts_as_helpful(client, reader, review):
    client.post(vote_url(review), {"helpful": "yes"})
    assert counts(review) == (1, 0)
    assert HelpfulVote.objects.get().voter == reader


def test_changing_ones_answer_moves_the_vote(client, reader, review):
    client.post(vote_url(review), {"helpful": "yes"})
    client.post(vote_url(review), {"helpful": "no"})
    assert counts(review) == (0, 1)
    assert HelpfulVote.objects.count() == 1


def test_the_same_answer_twice_counts_once(client, reader, review):
    client.post(vote_url(review), {"helpful": "yes"})
    client.post(vote_url(review), {"helpful": "yes"})
    assert counts(review) == (1, 0)


def test_a_vote_can_be_taken_back(client, reader, review):
    client.post(vote_url(review), {"helpful": "no"})
    client.post(vote_url(review), {"helpful": "withdraw"})
    assert counts(review) == (0, 0)
    assert not HelpfulVote.objects.exists()


def test_the_database_holds_one_vote_per_reader_and_review(reader, review):
    HelpfulVote.objects.create(review=review, voter=reader, helpful=True)
    with pytest.raises(IntegrityError):
        HelpfulVote.objects.create(review=review, voter=reader, helpful=False)


def test_authors_cannot_vote_on_their_own_review(client, review):
    client.force_login(review.author)
    assert client.post(vote_url(review), {"helpful": "yes"}).status_code == 403
    assert counts(review) == (0, 0)
    page = client.get(review.get_absolute_url()).text
    assert "Was this review helpful?" not in page


def test_a_nonsense_answer_is_a_400(client, reader, review):
    assert client.post(vote_url(review), {"helpful": "maybe"}).status_code == 400


def test_anonymous_visitors_are_asked_to_log_in(client, review):
    response = client.post(vote_url(review), {"helpful": "yes"})
    assert response.url.startswith(reverse("accounts:login"))
    page = client.get(review.get_absolute_url()).text
    assert "to say whether this review was helpful" in page
    assert "csrfmiddlewaretoken" not in page


def test_without_javascript_the_vote_redirects_back_to_the_review(client, reader, review):
    response = client.post(vote_url(review), {"helpful": "yes"})
    assert response.status_code == 302
    assert response.url == f"{review.get_absolute_url()}#helpful-votes"


def test_htmx_gets_the_vote_box_with_the_new_count_and_the_pressed_answer(client, reader, review):
    response = client.post(vote_url(review), {"helpful": "yes"}, headers=HTMX)
    html = response.text
    assert "<html" not in html
    assert 'id="helpful-votes"' in html
    assert "1 of 1 reader found this review helpful." in html
    # The pressed answer takes the vote back when pressed again.
    assert 'value="withdraw" aria-pressed="true"' in html
    assert 'value="no" aria-pressed="false"' in html


def test_the_review_page_shows_the_readers_own_answer(client, reader, review):
    review.vote(reader, False)
    html = client.get(review.get_absolute_url()).text
    assert 'value="yes" aria-pressed="false"' in html
    assert 'value="withdraw" aria-pressed="true"' in html


def test_hidden_reviews_take_no_votes(client, reader, review):
    review.hide("Spam.", by=make_user())
    assert client.post(vote_url(review), {"helpful": "yes"}).status_code == 404


@pytest.mark.parametrize(
    ("helpful", "unhelpful", "expected"),
    [(0, 0, 0.0), (1, 0, 0.2065), (0, 1, 0.0), (90, 10, 0.8256), (10, 10, 0.2993)],
)
def test_the_helpful_score_is_the_lower_bound_of_the_wilson_interval(
    review, helpful, unhelpful, expected
):
    Review.objects.filter(pk=review.pk).update(helpful_votes=helpful, unhelpful_votes=unhelpful)
    review.refresh_from_db()
    assert review.helpful_score == pytest.approx(expected, abs=1e-4)


def test_most_helpful_first_weighs_confidence_not_raw_counts():
    anime = make_anime()
    many_mixed = with_votes(make_review(anime=anime, title="Many mixed"), 10, 10)
    few_good = with_votes(make_review(anime=anime, title="Few good"), 6, 0)
    one_lucky = with_votes(make_review(anime=anime, title="One lucky"), 1, 0)
    unvoted = make_review(anime=anime, title="Unvoted")
    ordered = list(Review.objects.filter(anime=anime).sorted_by("helpful"))
    assert ordered == [few_good, many_mixed, one_lucky, unvoted]


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_count_exactly():
    review = make_review()
    voters = [make_user() for _ in range(8)]
    run_together([lambda voter=voter: review.vote(voter, True) for voter in voters])
    assert counts(review) == (8, 0)
    assert HelpfulVote.objects.filter(review=review).count() == 8


@pytest.mark.django_db(transaction=True)
def test_a_double_click_counts_once():
    review = make_review()
    voter = make_user()
    run_together([lambda: Review.objects.get(pk=review.pk).vote(voter, True)] * 2)
    assert counts(review) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_of_mind_keep_the_counts_exact():
    review = make_review()
    voters = [make_user() for _ in range(6)]
    for voter in voters:
        review.vote(voter, True)
    run_together(
        [
            lambda voter=voter: Review.objects.get(pk=review.pk).vote(voter, False)
            for voter in voters
        ]
    )
    assert counts(review) == (0, 6)


def run_together(calls: list) -> None:
    """Run the calls in threads released at once, each on its own database connection."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as error:  # noqa: BLE001 — reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
