from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import AnimeRelation, AnimeTitle, Kind, RelationType, Season
from tests.factories import make_anime, make_studio, make_tag

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LONG_WORD = "Supercalifragilisticexpialidociousnessextraordinaire"


def make_catalog():
    web = make_anime(
        title="Pikotarou no Lullaby Lalala",
        kind=Kind.WEB,
        episodes=6,
        episode_minutes=5,
        start_year=2009,
        end_year=2010,
        start_season=Season.FALL,
        average_rating=Decimal("2.599"),
        votes=2108,
        rank=1,
        studios=[make_studio(name="Madhouse")],
        tags=[make_tag(name="Music")],
        synopsis="A lullaby in six parts.",
    )
    make_anime(title="Cowboy Bebop", rank=2)
    make_anime(title=f"{LONG_WORD} {LONG_WORD}", rank=3)
    return web


def test_visitor_browses_from_the_catalog_to_an_anime(live_server, page):
    web = make_catalog()
    page.goto(f"{live_server.url}/anime/")
    assert page.get_by_role("heading", level=1).inner_text() == "Anime"

    page.get_by_role("link", name="Pikotarou no Lullaby Lalala").click()
    page.wait_for_url(f"{live_server.url}{web.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Pikotarou no Lullaby Lalala"
    assert page.locator(".entry-kind").inner_text() == "Web (6 eps x 5 min)"

    cover = page.get_by_role("img", name="Cover of Pikotarou no Lullaby Lalala")
    cover.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=cover.element_handle())
    assert cover.evaluate("img => img.naturalWidth") > 0


def test_visitor_searches_from_the_header(live_server, page):
    make_catalog()
    page.goto(f"{live_server.url}/anime/")
    page.get_by_label("Search anime by title").fill("bebop")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/anime/?q=bebop")
    assert page.locator(".anime-row h2").all_inner_texts() == ["Cowboy Bebop"]


@pytest.mark.parametrize("path", ["/anime/", "detail"])
def test_nothing_overflows_on_a_phone(live_server, page, path):
    web = make_catalog()
    long = make_anime(title=f"{LONG_WORD} {LONG_WORD}", start_year=1999, episodes=None)
    AnimeTitle.objects.create(anime=long, title=LONG_WORD * 2)
    AnimeRelation.objects.create(from_anime=long, to_anime=web, relation_type=RelationType.OTHER)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + (long.get_absolute_url() if path == "detail" else path))
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
