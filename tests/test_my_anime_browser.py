from __future__ import annotations

import pytest

from tests.factories import make_anime, make_user
from userlists.models import ListEntry, Status

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_member_marks_an_anime_watching_without_a_reload(live_server, page):
    anime = make_anime(title="Blame!", episodes=6, episode_minutes=5)
    make_user("killy", password="netsphere access")

    page.goto(f"{live_server.url}/accounts/login/?next={anime.get_absolute_url()}")
    page.get_by_label("Username").fill("killy")
    page.get_by_label("Password").fill("netsphere access")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{anime.get_absolute_url()}")

    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.stillTheSamePage = true")
    watching = page.locator("#my-anime").get_by_role("button", name="Watching", exact=True)
    watching.click()
    page.wait_for_selector('#my-anime button[value="watching"][aria-pressed="true"]')
    stats = page.locator("#user-stats")
    assert stats.locator("div", has_text="Watching").locator("dd").inner_text() == "1"
    assert page.evaluate("window.stillTheSamePage") is True

    page.locator("#my-anime").get_by_role("button", name="+1 episode").click()
    page.wait_for_selector("#my-progress[value='1']")

    page.reload()
    assert (
        page.locator('#my-anime button[value="watching"]').get_attribute("aria-pressed") == "true"
    )
    assert page.locator("#my-progress").input_value() == "1"
    entry = ListEntry.objects.get(anime=anime)
    assert (entry.status, entry.progress) == (Status.WATCHING, 1)
