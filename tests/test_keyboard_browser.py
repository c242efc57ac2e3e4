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


def tab_to(page, name: str, *, limit: int = 60) -> None:
    """Presses Tab until the focused element's description contains `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and name in focused["name"]:
            return
    raise AssertionError(f"Tab never reached {name}")


def test_every_control_on_the_anime_page_shows_a_focus_ring(anime_page):
    page, bebop, member = anime_page
    ListEntry.objects.save_entry(member, bebop, status=Status.WATCHING, progress=2)
    page.reload()
    # Opened without a click, so that the first Tab starts from the top of the page.
    page.evaluate("document.querySelector('details.entry-more').open = true")

    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["name"] == seen[0]["name"]):
            break
        seen.append(focused)
    names = [f["name"] for f in seen]

    assert seen[0]["name"].startswith('a "Skip to content"')
    for control in ["Watching", "my-progress", "+1", "my-rating", "my-notes", "Write a review"]:
        assert any(control in name for name in names), f"{control} is not in the tab order"
    unseen = [f["name"] for f in seen if not (f["ring"] and f["onScreen"])]
    assert not unseen, f"no visible focus on: {unseen}"


def test_skip_link_moves_the_focus_to_the_content(anime_page):
    page, _, _ = anime_page
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["onScreen"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is in the page's own content, past the header's links.
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_member_lists_counts_and_rates_an_anime_with_the_keyboard(anime_page):
    page, bebop, member = anime_page

    tab_to(page, '"Watching"')
    page.keyboard.press("Space")
    page.wait_for_selector('#my-anime button[value="watching"][aria-pressed="true"]')
    # The swap keeps the focus where it was, so the keyboard user carries on from there.
    assert '"Watching"' in page.evaluate(FOCUSED)["name"]

    tab_to(page, "my-progress")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.wait_for_selector("#my-progress[value='3']")
    assert "my-progress" in page.evaluate(FOCUSED)["name"]

    tab_to(page, '"+1"')
    page.keyboard.press("Enter")
    page.wait_for_selector("#my-progress[value='4']")

    tab_to(page, "my-rating")
    page.keyboard.press("End")
    page.wait_for_selector('#my-rating option[value="5.0"][selected]', state="attached")

    entry = ListEntry.objects.get(user=member, anime=bebop)
    assert (entry.status, entry.progress, entry.rating) == (Status.WATCHING, 4, Decimal("5.0"))
