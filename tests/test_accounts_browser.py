from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _fast_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_visitor_signs_up_lands_logged_in_and_logs_out(live_server, page):
    page.goto(f"{live_server.url}/anime/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("ann")
    page.get_by_label("E-mail").fill("ann@example.com")
    page.get_by_label("Password:", exact=True).fill("velvet otter lantern")
    page.get_by_label("Password confirmation").fill("velvet otter lantern")
    page.get_by_role("button", name="Sign up").click()

    # Signing up from the catalog returns there, logged in.
    page.wait_for_url(f"{live_server.url}/anime/")
    account = page.get_by_role("navigation", name="Account")
    assert account.get_by_role("link", name="ann").is_visible()
    assert get_user_model().objects.filter(username="ann").exists()

    account.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/anime/")
    assert account.get_by_role("link", name="Log in").is_visible()
    assert account.get_by_role("link", name="ann").count() == 0
