"""Browsing in headless Chromium: live search suggestions, and filters that update in place."""

from __future__ import annotations

import re

import pytest

from catalog.models import Kind
from tests.factories import make_anime

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_visitor_picks_a_suggestion_with_the_keyboard(live_server, page):
    blame = make_anime(title="Blame!", kind=Kind.WEB, episodes=6, start_year=2003)
    make_anime(title="Blame! Movie", kind=Kind.MOVIE, episodes=1, start_year=2017)
    make_anime(title="Blame! Prologue", kind=Kind.OVA, episodes=2, start_year=2007)
    make_anime(title="Cowboy Bebop")
    page.goto(f"{live_server.url}/anime/")
    search = page.locator("#site-search-q")

    search.press_sequentially("blam", delay=80)

    options = page.locator("#search-suggestions li[role=option]")
    options.first.wait_for()
    assert options.first.locator("strong").inner_text() == "Blame!"
    assert options.count() == 3
    assert search.get_attribute("aria-expanded") == "true"

    search.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{blame.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Blame!"


def test_visitor_filters_the_catalog_without_a_page_load_and_goes_back(live_server, page):
    make_anime(title="Cowboy Bebop", kind=Kind.TV, rank=1)
    make_anime(title="Akira", kind=Kind.MOVIE, rank=2)
    page.goto(f"{live_server.url}/anime/")
    rows = page.locator(".anime-row h2")
    assert rows.all_inner_texts() == ["Cowboy Bebop", "Akira"]
    # A full page load would forget this.
    page.evaluate("window.sameDocument = true")

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Movie", exact=True).check()

    page.wait_for_url(re.compile(r"[?&]kind=movie(&|$)"))
    page.wait_for_function("() => document.querySelectorAll('.anime-row').length === 1")
    assert rows.all_inner_texts() == ["Akira"]
    assert page.evaluate("window.sameDocument") is True
    # The panel stays open while the visitor works in it.
    assert page.locator(".filters-panel").get_attribute("open") is not None
    assert page.get_by_label("Movie", exact=True).is_checked()

    page.go_back()
    page.wait_for_url(f"{live_server.url}/anime/")
    page.wait_for_function("() => document.querySelectorAll('.anime-row').length === 2")
    assert rows.all_inner_texts() == ["Cowboy Bebop", "Akira"]


def test_focus_goes_to_the_results_count_when_the_control_used_is_gone(live_server, page):
    make_anime(title="Cowboy Bebop", kind=Kind.TV, rank=1)
    make_anime(title="Akira", kind=Kind.MOVIE, rank=2)
    page.goto(f"{live_server.url}/anime/?kind=movie")

    page.get_by_role("link", name="Remove filter Movie").focus()
    page.keyboard.press("Enter")

    page.wait_for_function("() => document.querySelectorAll('.anime-row').length === 2")
    page.wait_for_function("() => document.activeElement?.id === 'results-count'")
    assert page.locator("#results-count").inner_text().startswith("2 anime")


def test_a_filter_checkbox_keeps_the_focus_through_the_update(live_server, page):
    make_anime(title="Cowboy Bebop", kind=Kind.TV, rank=1)
    make_anime(title="Akira", kind=Kind.MOVIE, rank=2)
    page.goto(f"{live_server.url}/anime/")
    page.get_by_text("Filters", exact=True).click()

    page.get_by_label("Movie", exact=True).focus()
    page.keyboard.press("Space")

    page.wait_for_function("() => document.querySelectorAll('.anime-row').length === 1")
    page.wait_for_timeout(100)  # past htmx's settle, when a lost focus would be moved
    assert page.evaluate("document.activeElement.id") == "kind-movie"
