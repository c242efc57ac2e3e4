"""A new member's first visit, end to end, with JavaScript and without it; screenshots of the
anime page on a phone and a desktop for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Kind, Season
from reviews.models import Review
from tests.browsing import log_in_as
from tests.factories import REVIEW_BODY, make_anime, make_review, make_studio, make_tag, make_user
from userlists.models import ListEntry, Status

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

HEADLINE = "Jazz, bounty hunters and regret"


def make_catalog():
    bebop = make_anime(
        title="Cowboy Bebop",
        kind=Kind.TV,
        episodes=26,
        start_year=1998,
        end_year=1999,
        start_season=Season.SPRING,
        average_rating=Decimal("4.412"),
        votes=2108,
        rank=1,
        studios=[make_studio(name="Sunrise")],
        tags=[make_tag(name="Space", category="theme"), make_tag(name="Jazz")],
        synopsis="Bounty hunters drift through the solar system, and the past catches up.",
    )
    make_anime(title="Cowboy Bebop: The Movie", kind=Kind.MOVIE, episodes=1, rank=2)
    make_anime(title="Akira", kind=Kind.MOVIE, episodes=1, rank=3)
    return bebop


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def visitor(browser, javascript) -> Iterator:
    """A fresh browser tab, with JavaScript on or off."""
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_new_member_signs_up_finds_an_anime_lists_rates_and_reviews_it(
    live_server, visitor, javascript
):
    page = visitor
    bebop = make_catalog()

    page.goto(f"{live_server.url}/")
    # The site's script marks the page: proof of which of the two journeys this is.
    scripts_ran = page.evaluate("document.documentElement.classList.contains('js')")
    assert scripts_ran is javascript
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("jet")
    page.get_by_label("E-mail").fill("jet@example.com")
    page.get_by_label("Password:", exact=True).fill("bonsai and black tea")
    page.get_by_label("Password confirmation").fill("bonsai and black tea")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{live_server.url}/anime/")
    account = page.get_by_role("navigation", name="Account")
    assert account.get_by_role("link", name="jet").is_visible()

    search = page.get_by_role("search")
    search.get_by_label("Search anime by title").fill("bebop")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(f"{live_server.url}/anime/?q=bebop")
    results = page.locator(".anime-row h2")
    assert results.all_inner_texts() == ["Cowboy Bebop", "Cowboy Bebop: The Movie"]

    page.get_by_role("link", name="Cowboy Bebop", exact=True).click()
    page.wait_for_url(f"{live_server.url}{bebop.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Cowboy Bebop"

    my_anime = page.locator("#my-anime")
    my_anime.get_by_role("button", name="Watching", exact=True).click()
    pressed = '#my-anime button[value="watching"][aria-pressed="true"]'
    page.wait_for_selector(pressed)

    page.get_by_label("My rating").select_option(label="4.5 / 5")
    save = page.locator("#my-anime .entry-rating-form").get_by_role("button", name="Save")
    # Without JavaScript the rating goes by its Save button; with it, choosing sends it.
    if save.is_visible():
        save.click()
    # Only the server's answer marks the option selected in the markup.
    page.wait_for_selector('#my-rating option[value="4.5"][selected]', state="attached")
    page.wait_for_selector(pressed)

    page.locator("#reviews").get_by_role("link", name="Write a review").click()
    page.get_by_label("Headline").fill(HEADLINE)
    for label in ["Story", "Animation", "Sound", "Characters", "Overall"]:
        page.get_by_label(label, exact=True).select_option("9")
    page.get_by_label("Your review").fill(REVIEW_BODY)
    page.get_by_role("button", name="Post your review").click()
    review = Review.objects.get(author__username="jet")
    page.wait_for_url(f"{live_server.url}{review.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == HEADLINE

    account.get_by_role("link", name="jet").click()
    page.wait_for_url(f"{live_server.url}/users/jet/")
    stats = page.locator("#list-stats")
    watching = stats.locator(".list-totals > div", has=page.get_by_text("Watching", exact=True))
    assert watching.locator("dd").inner_text() == "1"
    assert "4.50 / 5" in stats.inner_text()
    assert page.locator("#reviews").get_by_role("link", name=HEADLINE, exact=True).is_visible()

    stats.get_by_role("link", name="1 anime").click()
    page.wait_for_url(f"{live_server.url}/users/jet/anime/")
    row = page.locator(".list-table tbody tr")
    assert row.count() == 1
    assert row.get_by_role("link", name="Cowboy Bebop").is_visible()
    assert row.get_by_role("cell", name="Watching").is_visible()
    assert row.get_by_label("Rating of Cowboy Bebop").input_value() == "4.5"

    user = get_user_model().objects.get(username="jet")
    entry = ListEntry.objects.get(user=user)
    assert (entry.anime, entry.status, entry.rating) == (bebop, Status.WATCHING, Decimal("4.5"))


@pytest.mark.parametrize(
    "device, viewport",
    [
        ("phone", {"width": 390, "height": 844}),
        ("desktop", {"width": 1366, "height": 900}),
    ],
)
def test_screenshot_of_the_anime_page(live_server, browser, save_artifact, device, viewport):
    bebop = make_catalog()
    member = make_user("jet")
    ListEntry.objects.save_entry(
        member, bebop, status=Status.WATCHING, progress=5, rating=Decimal("4.5")
    )
    make_review(anime=bebop, title="See you, space cowboy")
    context = browser.new_context(viewport=viewport, is_mobile=device == "phone")
    log_in_as(context, live_server.url, member)
    page = context.new_page()

    page.goto(live_server.url + bebop.get_absolute_url())
    page.wait_for_load_state("load")
    path = save_artifact(f"anime-page-{device}.png")
    page.screenshot(path=path, full_page=True)
    context.close()

    assert path.stat().st_size > 10_000
