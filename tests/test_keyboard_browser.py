"""Every control on the anime page is reachable and usable with the keyboard alone, and shows
where the focus is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browsing import log_in_as
from tests.factories import make_anime, make_review, make_studio, make_tag, make_user
from userlists.models import ListEntry, Status

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# The focused element: a description, whether it has a focus ring (an outline or a box-shadow, as
# it is styled now that it has the focus) and whether it is inside the viewport.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    name: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40)}"`,
    ring: outline || style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""


@pytest.fixture
def anime_page(live_server, page):
    bebop = make_anime(
        title="Cowboy Bebop",
        episodes=26,
        start_year=1998,
        studios=[make_studio(name="Sunrise")],
        tags=[make_tag(name="Space"), make_tag(name="Jazz")],
        synopsis="Bounty hunters in space.",
    )
    make_review(anime=bebop, title="See you, space cowboy")
    member = make_user("jet")
    log_in_as(page.context, live_server.url, member)
    page.goto(live_server.url + bebop.get_absolute_url())
    return page, bebop, member


def settled(page) -> None:
    """Waits for htmx to settle a swap: it gives the swapped-in forms their triggers only then,
    ~20 ms after the new markup shows, and a select's change before that is lost."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def tab_to(page, name: str, *, limit: int = 60) -> None:
    """Presses Tab until the focused element's description contains `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and name in focused["name"]:
            return
    raise AssertionError(f"Tab never reached {name}")


def tab_stops(page, *, limit: int = 300) -> list[dict]:
    """Every stop of the page's tab order: from the skip link, the first of every page (and a
    start that no autofocus moves), Tab until the focus leaves the page or comes round again."""
    page.locator(".skip-link").focus()
    stops = [page.evaluate(FOCUSED)]
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["name"] == stops[0]["name"]:
            return stops
        stops.append(focused)
    raise AssertionError(f"the focus did not come round in {limit} stops")


def without_a_visible_ring(stops: list[dict]) -> list[str]:
    return [stop["name"] for stop in stops if not (stop["ring"] and stop["onScreen"])]


def test_every_control_on_the_anime_page_shows_a_focus_ring(anime_page):
    page, bebop, member = anime_page
    ListEntry.objects.save_entry(member, bebop, status=Status.WATCHING, progress=2)
    page.reload()
    page.evaluate("document.querySelector('details.entry-more').open = true")

    stops = tab_stops(page)

    names = [stop["name"] for stop in stops]
    for control in ["Watching", "my-progress", "+1", "my-rating", "my-notes", "Write a review"]:
        assert any(control in name for name in names), f"{control} is not in the tab order"
    assert not without_a_visible_ring(stops)


@pytest.mark.parametrize("where", ["browse", "list", "review", "review-form", "signup"])
def test_every_tab_stop_shows_a_focus_ring(live_server, page, where):
    genre = make_tag(name="Drama", category="genre")
    bebop = make_anime(title="Cowboy Bebop", episodes=26, start_year=1998, tags=[genre])
    make_anime(title="Akira", kind="movie", episodes=1, start_year=1988, tags=[genre])
    review = make_review(anime=bebop, title="See you, space cowboy")
    member = make_user("jet")
    ListEntry.objects.save_entry(member, bebop, status=Status.WATCHING, progress=2)
    if where != "signup":
        log_in_as(page.context, live_server.url, member)
    path = {
        "browse": "/anime/?kind=tv&tag=drama",
        "list": "/users/jet/anime/",
        "review": review.get_absolute_url(),
        "review-form": bebop.get_absolute_url() + "reviews/write/",
        "signup": "/accounts/signup/",
    }[where]
    page.goto(live_server.url + path)
    if where == "browse":
        page.evaluate("document.querySelector('details.filters-panel').open = true")

    stops = tab_stops(page)

    assert len(stops) > 8
    assert not without_a_visible_ring(stops)


def test_skip_link_moves_the_focus_to_the_content(anime_page):
    page, _, _ = anime_page
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["name"] == 'a "Skip to content"'
    assert skip["onScreen"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is in the page's own content, past the header's links.
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_member_lists_counts_and_rates_an_anime_with_the_keyboard(anime_page):
    page, bebop, member = anime_page

    tab_to(page, '"Watching"')
    page.keyboard.press("Space")
    page.wait_for_selector('#my-anime button[value="watching"][aria-pressed="true"]')
    settled(page)
    # The swap keeps the focus where it was, so the keyboard user carries on from there.
    assert '"Watching"' in page.evaluate(FOCUSED)["name"]

    tab_to(page, "my-progress")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.wait_for_selector("#my-progress[value='3']")
    settled(page)
    assert "my-progress" in page.evaluate(FOCUSED)["name"]

    tab_to(page, '"+1"')
    page.keyboard.press("Enter")
    page.wait_for_selector("#my-progress[value='4']")
    settled(page)

    tab_to(page, "my-rating")
    page.keyboard.press("End")
    page.wait_for_selector('#my-rating option[value="5.0"][selected]', state="attached")

    entry = ListEntry.objects.get(user=member, anime=bebop)
    assert (entry.status, entry.progress, entry.rating) == (Status.WATCHING, 4, Decimal("5.0"))
