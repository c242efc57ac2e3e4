"""A member who goes over a rate limit with htmx sees why nothing happened."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import throttle.models
from tests.browsing import log_in_as
from tests.factories import make_anime, make_user
from userlists.models import ListEntry
from userlists.views import LIST_WRITES

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_htmx_click_over_the_limit_shows_the_message_in_the_page(live_server, page, monkeypatch):
    # The live server runs in a thread of this process: it reads the same stopped clock.
    monkeypatch.setattr(throttle.models, "now", lambda: datetime(2026, 1, 1, 12, 0, 20, tzinfo=UTC))
    anime = make_anime(title="Blame!")
    member = make_user("killy")
    log_in_as(page.context, live_server.url, member)
    page.goto(live_server.url + anime.get_absolute_url())
    for _ in range(LIST_WRITES.limit):
        LIST_WRITES.hit(str(member.pk))
    page.locator("#my-anime").get_by_role("button", name="Watching", exact=True).click()
    alert = page.locator("#site-alert .throttled-message")
    alert.wait_for()
    assert "You are changing your list too fast." in alert.inner_text()
    assert not ListEntry.objects.exists()
