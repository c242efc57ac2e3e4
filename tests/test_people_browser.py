"""The people pages and the anime page's Characters and Staff blocks in a browser: axe finds no
serious or critical WCAG 2.2 AA violation, in light and dark, on a phone's width too."""

from __future__ import annotations

import pytest

from people.models import CastRole, Language, StaffCredit, StaffRole
from tests.axe import assert_accessible
from tests.factories import make_anime, make_cast, make_character, make_person

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PAGES = [
    "/anime/cowboy-bebop/",
    "/anime/cowboy-bebop/characters/",
    "/anime/cowboy-bebop/staff/",
    "/characters/spike-spiegel/",
    "/people/steven-blum/",
    "/people/shinichiro-watanabe/",
]


@pytest.fixture
def bebop():
    anime = make_anime(title="Cowboy Bebop", start_year=1998)
    blum = make_person(name="Steven Blum")
    make_cast(
        anime,
        make_character(name="Spike Spiegel", description="A bounty hunter.", alt_names=["Spike"]),
        voices=[(make_person(name="Kōichi Yamadera"), Language.JAPANESE), (blum, Language.ENGLISH)],
    )
    make_cast(anime, make_character(name="Vicious"), role=CastRole.SUPPORTING)
    make_cast(make_anime(title="Samurai Champloo"), voices=[(blum, Language.ENGLISH)])
    watanabe = make_person(name="Shinichirō Watanabe")
    StaffCredit.objects.create(anime=anime, person=watanabe, role=StaffRole.DIRECTOR)
    StaffCredit.objects.create(
        anime=anime, person=make_person(name="Yoko Kanno"), role=StaffRole.MUSIC
    )
    return anime


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", PAGES)
def test_people_pages_pass_axe(live_server, axe_context, bebop, path, width):
    page = axe_context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert_accessible(page)
    # Nothing wider than the screen: long names wrap.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_see_all_characters_is_reached_from_the_anime_page(live_server, page, bebop):
    page.goto(live_server.url + bebop.get_absolute_url())
    page.get_by_role("link", name="See all 2 characters").click()
    page.get_by_role("link", name="Steven Blum").click()
    assert page.get_by_role("heading", name="Steven Blum").is_visible()
