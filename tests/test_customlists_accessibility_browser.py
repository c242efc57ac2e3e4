"""axe-core finds no serious or critical WCAG 2.2 AA violation on the custom list pages."""

from __future__ import annotations

import pytest

from customlists.models import CustomList
from tests.axe import assert_accessible
from tests.browsing import log_in_as
from tests.factories import make_anime, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def lists() -> dict:
    owner = make_user("killy")
    blame = make_anime(title="Blame!", start_year=2017)
    cyberpunk = CustomList.objects.create_list(
        owner=owner, title="Cyberpunk", description="Neon and rain.", anime=blame
    )
    for title in ["Ergo Proxy", "Texhnolyze"]:
        cyberpunk.add(make_anime(title=title))
    cyberpunk.set_note(cyberpunk.items.first().pk, "Start here.")
    CustomList.objects.create_list(owner=owner, title="Secret", is_public=False)
    return {"owner": owner, "blame": blame, "cyberpunk": cyberpunk}


@pytest.mark.parametrize("path", ["/lists/", "/users/killy/lists/"])
def test_list_cards_pass_axe(live_server, axe_context, lists, path):
    page = axe_context.new_page()
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_a_list_page_passes_axe_for_anyone(live_server, axe_context, lists):
    page = axe_context.new_page()
    page.goto(live_server.url + lists["cyberpunk"].get_absolute_url())
    assert_accessible(page)


def test_a_list_page_passes_axe_for_its_owner_editing_a_note(live_server, axe_context, lists):
    log_in_as(axe_context, live_server.url, lists["owner"])
    page = axe_context.new_page()
    page.goto(live_server.url + lists["cyberpunk"].get_absolute_url())
    page.get_by_text("Edit the note").click()
    assert_accessible(page)


def test_the_anime_page_block_passes_axe_for_a_member(live_server, axe_context, lists):
    log_in_as(axe_context, live_server.url, lists["owner"])
    page = axe_context.new_page()
    page.goto(live_server.url + lists["blame"].get_absolute_url())
    assert_accessible(page)


def test_the_list_form_with_errors_passes_axe(live_server, axe_context, lists):
    log_in_as(axe_context, live_server.url, lists["owner"])
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/lists/new/")
    page.get_by_role("button", name="Create the list").click()
    page.wait_for_load_state()
    assert_accessible(page)
