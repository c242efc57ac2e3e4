"""axe-core finds no serious or critical WCAG 2.2 AA violation on the pages people use most."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import AnimeRelation, AnimeTitle, Kind, RelationType, Season
from tests.axe import assert_accessible
from tests.browsing import log_in_as
from tests.factories import make_anime, make_review, make_studio, make_tag, make_user
from userlists.models import ListEntry, Status

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def catalog() -> dict:
    madhouse = make_studio(name="Madhouse")
    music, drama = make_tag(name="Music"), make_tag(name="Drama", category="genre")
    bebop = make_anime(
        title="Cowboy Bebop",
        kind=Kind.TV,
        episodes=26,
        start_year=1998,
        end_year=1999,
        start_season=Season.SPRING,
        average_rating=Decimal("4.4"),
        votes=2108,
        rank=1,
        studios=[madhouse],
        tags=[music, drama],
        synopsis="Bounty hunters in space, and the past they cannot outrun.",
    )
    movie = make_anime(title="Cowboy Bebop: The Movie", kind=Kind.MOVIE, episodes=1, rank=2)
    AnimeTitle.objects.create(anime=bebop, title="カウボーイビバップ")
    AnimeRelation.objects.create(
        from_anime=bebop, to_anime=movie, relation_type=RelationType.SIDE_STORY
    )
    make_anime(title="Akira", kind=Kind.MOVIE, rank=3)
    faye = make_user("faye")
    review = make_review(anime=bebop, author=faye, title="See you, space cowboy")
    spike = make_user("spike")
    ListEntry.objects.create(
        user=spike, anime=bebop, status=Status.WATCHING, progress=3, rating=Decimal("4.5")
    )
    ListEntry.objects.create(user=spike, anime=movie, status=Status.WATCHED, progress=1)
    return {"bebop": bebop, "review": review, "spike": spike}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/anime/?kind=tv&kind=movie&sort=title",
        "/anime/?q=bebop",
        "/accounts/signup/",
        "/reviews/",
        "/users/spike/",
    ],
)
def test_anonymous_pages_pass_axe(live_server, axe_context, catalog, path):
    page = axe_context.new_page()
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_browse_filters_panel_open_passes_axe(live_server, axe_context, catalog):
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/anime/?kind=tv&tag=music")
    page.get_by_text("Filters", exact=True).click()
    assert_accessible(page)


def test_anonymous_anime_page_passes_axe(live_server, axe_context, catalog):
    page = axe_context.new_page()
    page.goto(live_server.url + catalog["bebop"].get_absolute_url())
    assert_accessible(page)


def test_anime_page_with_my_anime_widget_passes_axe(live_server, axe_context, catalog):
    log_in_as(axe_context, live_server.url, catalog["spike"])
    page = axe_context.new_page()
    page.goto(live_server.url + catalog["bebop"].get_absolute_url())
    page.get_by_text("Dates, rewatches and notes").click()
    assert_accessible(page)


def test_anime_page_on_a_phone_passes_axe(live_server, axe_context, catalog):
    # The phone layout wraps and stacks the controls: their sizes and spacing change.
    log_in_as(axe_context, live_server.url, catalog["spike"])
    page = axe_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + catalog["bebop"].get_absolute_url())
    assert_accessible(page)


def test_own_list_page_passes_axe(live_server, axe_context, catalog):
    log_in_as(axe_context, live_server.url, catalog["spike"])
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/users/spike/anime/")
    assert_accessible(page)


def test_someone_elses_list_page_passes_axe(live_server, axe_context, catalog):
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/users/spike/anime/")
    assert_accessible(page)


def test_review_page_passes_axe(live_server, axe_context, catalog):
    log_in_as(axe_context, live_server.url, catalog["spike"])
    page = axe_context.new_page()
    page.goto(live_server.url + catalog["review"].get_absolute_url())
    assert_accessible(page)


def test_review_form_passes_axe(live_server, axe_context, catalog):
    log_in_as(axe_context, live_server.url, catalog["spike"])
    page = axe_context.new_page()
    page.goto(live_server.url + catalog["bebop"].get_absolute_url() + "reviews/write/")
    assert_accessible(page)


def test_sign_up_page_with_errors_passes_axe(live_server, axe_context, catalog):
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("x")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    assert_accessible(page)
