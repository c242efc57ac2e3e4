from __future__ import annotations

import pytest

from reviews.models import HelpfulVote, Review
from tests.factories import REVIEW_BODY, make_anime, make_review, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_member_writes_a_review_sees_it_on_the_anime_page_and_votes_on_another(live_server, page):
    anime = make_anime(title="Cowboy Bebop")
    theirs = make_review(anime=anime, author=make_user("faye"), title="See you, space cowboy")
    make_user("spike", password="swordfish ii")

    page.goto(f"{live_server.url}/accounts/login/?next={anime.get_absolute_url()}")
    page.get_by_label("Username").fill("spike")
    page.get_by_label("Password").fill("swordfish ii")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{anime.get_absolute_url()}")

    page.locator("#reviews").get_by_role("link", name="Write a review").click()
    page.get_by_label("Headline").fill("Jazz, bounty hunters and regret")
    for label, score in [
        ("Story", "9"),
        ("Animation", "9"),
        ("Sound", "10"),
        ("Characters", "10"),
        ("Overall", "10"),
    ]:
        page.get_by_label(label, exact=True).select_option(score)
    counter = page.locator("#body-count")
    page.get_by_label("Your review").fill("Too short.")
    assert counter.inner_text() == "10 characters: 290 more to reach the minimum of 300."
    page.get_by_label("Your review").fill(REVIEW_BODY)
    assert counter.inner_text() == f"{len(REVIEW_BODY)} characters."
    page.get_by_role("button", name="Post your review").click()

    mine = Review.objects.get(author__username="spike")
    page.wait_for_url(f"{live_server.url}{mine.get_absolute_url()}")
    page.goto(f"{live_server.url}{anime.get_absolute_url()}")
    reviews = page.locator("#reviews")
    assert reviews.get_by_role(
        "link", name="Jazz, bounty hunters and regret", exact=True
    ).is_visible()
    assert reviews.get_by_role("link", name="Your review").is_visible()
    assert "See all 2 reviews" in reviews.inner_text()

    reviews.get_by_role("link", name="See you, space cowboy", exact=True).click()
    page.wait_for_url(f"{live_server.url}{theirs.get_absolute_url()}")
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#helpful-votes").get_by_role("button", name="Yes").click()
    page.wait_for_selector('#helpful-votes button[value="withdraw"][aria-pressed="true"]')
    assert page.locator(".helpful-count").inner_text() == "1 of 1 reader found this review helpful."
    assert page.evaluate("window.stillTheSamePage") is True
    vote = HelpfulVote.objects.get()
    assert (vote.review, vote.voter.username, vote.helpful) == (theirs, "spike", True)
