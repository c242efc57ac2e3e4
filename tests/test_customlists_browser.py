from __future__ import annotations

import pytest

from customlists.models import CustomList
from tests.factories import make_anime, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def log_in(page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("killy")
    page.get_by_label("Password").fill("netsphere access")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_member_adds_an_anime_to_a_list_from_its_page_without_a_reload(live_server, page):
    anime = make_anime(title="Blame!", episodes=6, episode_minutes=5)
    owner = make_user("killy", password="netsphere access")
    CustomList.objects.create_list(owner=owner, title="Megastructures", anime=make_anime())
    custom_list = CustomList.objects.create_list(owner=owner, title="Bleak and beautiful")

    log_in(page, live_server, anime.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")
    block = page.locator("#custom-lists")
    block.get_by_label("Add to a custom list").select_option(label="Bleak and beautiful")
    block.get_by_role("button", name="Add", exact=True).click()

    confirmation = page.locator("#custom-lists [role=status]")
    confirmation.wait_for()
    assert confirmation.inner_text() == "Added to Bleak and beautiful."
    assert page.evaluate("window.stillTheSamePage") is True
    # Now among the public lists that hold it, and no longer offered.
    assert (
        block.locator(".custom-list-links").get_by_role("link", name="Bleak and beautiful").count()
        == 1
    )
    assert block.locator("option", has_text="Bleak and beautiful").count() == 0

    confirmation.get_by_role("link", name="Bleak and beautiful").click()
    page.wait_for_url(f"{live_server.url}{custom_list.get_absolute_url()}")
    assert page.locator("#list-items").get_by_role("link", name="Blame!").count() == 1


def test_member_reorders_a_list_with_the_arrows(live_server, page):
    owner = make_user("killy", password="netsphere access")
    custom_list = CustomList.objects.create_list(owner=owner, title="Order matters")
    for title in ["First", "Second", "Third"]:
        custom_list.add(make_anime(title=title))

    log_in(page, live_server, custom_list.get_absolute_url())
    page.get_by_role("button", name="Move Third up").click()
    page.wait_for_selector("#list-items li.custom-list-item-moved")
    names = page.locator(".custom-list-item-title").all_inner_texts()
    assert names == ["First", "Third", "Second"]
    page.reload()
    assert page.locator(".custom-list-item-title").all_inner_texts() == ["First", "Third", "Second"]


def test_the_arrow_keeps_the_focus_on_the_moved_item(live_server, page):
    owner = make_user("killy", password="netsphere access")
    custom_list = CustomList.objects.create_list(owner=owner, title="Order matters")
    for title in ["First", "Second", "Third"]:
        custom_list.add(make_anime(title=title))

    log_in(page, live_server, custom_list.get_absolute_url())
    page.get_by_role("button", name="Move Third up").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#list-items li.custom-list-item-moved")
    page.keyboard.press("Enter")  # the same button, on the moved item: up again
    # A function, not an expression: Playwright evals an expression inside the page when it
    # polls, which the Content-Security-Policy (no 'unsafe-eval') refuses.
    page.wait_for_function(
        "() => document.querySelector('.custom-list-item-title').textContent === 'Third'"
    )
    assert page.locator(".custom-list-item-title").all_inner_texts() == ["Third", "First", "Second"]
