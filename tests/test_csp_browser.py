"""The Content-Security-Policy in a real browser: the main pages, signed out and in, and the admin,
load and work without a single violation.

Chromium reports each blocked inline style, inline script, handler attribute or foreign resource as
a console error ("Refused to … because it violates the following Content Security Policy
directive"). A template that brings back a style="…" or an onclick fails here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Anime
from tests.factories import make_anime, make_review, make_superuser, make_tag, make_user
from userlists.models import ListEntry, Status

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def violations(page) -> list[str]:
    """Every CSP violation the page reports, from the console and from the DOM event."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # Init scripts come from the browser's side of the protocol: the CSP does not block them.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy event: ' + e.violatedDirective + ' '"
        " + e.blockedURI + ' ' + (e.sample || '')))"
    )
    return found


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def log_in(page, base: str, username: str, password: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/users/{username}/")


def a_catalog() -> Anime:
    anime = make_anime(
        title="Blame!",
        average_rating=Decimal("2.599"),
        votes=2108,
        rank=7,
        tags=[make_tag(name="Mecha")],
        synopsis="Killy wanders the City.",
    )
    make_anime(title="Cowboy Bebop", rank=1)
    make_review(anime=anime, author=make_user("cibo"))
    return anime


def test_anonymous_pages_run_without_csp_violations(live_server, page, violations):
    anime = a_catalog()
    base = live_server.url
    for path in (
        reverse("catalog:anime-list"),
        reverse("catalog:anime-list") + "?q=bebop",
        anime.get_absolute_url(),
        reverse("reviews:latest"),
        reverse("reviews:anime-reviews", args=[anime.slug]),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:profile", args=["cibo"]),
        reverse("customlists:recent"),
        "/no-such-page/",
    ):
        visit(page, base + path)
    # The live suggestions: htmx swaps a fragment in.
    visit(page, base + reverse("catalog:anime-list"))
    page.get_by_label("Search anime by title").fill("bebop")
    page.wait_for_selector("#search-suggestions a")
    assert violations == []


def test_the_stars_show_the_exact_rating_without_an_inline_style(live_server, page, violations):
    anime = a_catalog()
    visit(page, live_server.url + anime.get_absolute_url())
    filled = page.locator(".stars .stars-on")
    assert filled.get_attribute("width") == "2.599"
    assert filled.evaluate("rect => rect.getBBox().width") == pytest.approx(2.599)
    assert violations == []


def test_member_pages_and_htmx_writes_run_without_csp_violations(live_server, page, violations):
    anime = a_catalog()
    member = make_user("killy", password="netsphere access")
    ListEntry.objects.create(user=member, anime=make_anime(title="Biomega"), status=Status.WATCHED)
    base = live_server.url
    log_in(page, base, "killy", "netsphere access")
    visit(page, base + anime.get_absolute_url())
    page.locator("#my-anime").get_by_role("button", name="Watching", exact=True).click()
    page.wait_for_selector('#my-anime button[value="watching"][aria-pressed="true"]')
    for path in (
        reverse("userlists:user-list", args=["killy"]),
        reverse("userlists:list-import"),
        reverse("accounts:settings"),
        reverse("accounts:password-change"),
        reverse("customlists:create"),
        reverse("reviews:write-review", args=[anime.slug]),
    ):
        visit(page, base + path)
    # The review form's live counter is a script of its own file.
    page.get_by_label("Your review").fill("word " * 10)
    assert violations == []


def test_the_admin_runs_without_csp_violations(live_server, page, violations):
    anime = a_catalog()
    make_superuser("boss", password="correct horse battery")
    base = live_server.url
    visit(page, base + reverse("admin:login"))
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + reverse("admin:index"))
    for path in (
        reverse("admin:catalog_anime_changelist"),
        reverse("admin:catalog_anime_change", args=[anime.pk]),
        reverse("admin:catalog_anime_add"),
        reverse("admin:reviews_review_changelist"),
    ):
        visit(page, base + path)
    assert violations == []
