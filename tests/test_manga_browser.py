"""The manga pages in a browser: the search swaps its results in place, and axe finds no serious
or critical WCAG 2.2 AA violation on them or on an anime page showing "Related manga"."""

from __future__ import annotations

import pytest

from catalog.models import Kind
from manga.models import AnimeMangaRelation, Author, Manga, MangaAuthor, MangaKind, MangaTitle
from tests.axe import assert_accessible
from tests.factories import make_anime, make_tag

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def shelf() -> dict:
    blame = Manga.objects.create(
        title="BLAME!", volumes=10, start_year=1997, end_year=2003, status="finished"
    )
    MangaTitle.objects.create(manga=blame, title="ブラム!", kind="japanese")
    MangaAuthor.objects.create(manga=blame, author=Author.objects.create(name="Tsutomu Nihei"))
    blame.tags.set([make_tag(name="Sci-Fi", category="genre")])
    Manga.objects.create(title="Toradora!", kind=MangaKind.LIGHT_NOVEL, volumes=10)
    anime = make_anime(title="Blame!", kind=Kind.WEB, episodes=6, episode_minutes=5)
    AnimeMangaRelation.objects.create(anime=anime, manga=blame)
    return {"blame": blame, "anime": anime}


def test_the_search_swaps_in_its_results_and_keeps_the_url(live_server, page, shelf):
    page.goto(f"{live_server.url}/manga/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Title", exact=True).fill("blame")
    page.wait_for_url("**/manga/?q=blame*")
    results = page.locator("#manga-results")
    assert results.get_by_role("link", name="BLAME!").is_visible()
    assert results.get_by_text("Toradora!").count() == 0
    assert page.evaluate("window.notReloaded") is True


@pytest.mark.parametrize("path", ["/manga/", "blame", "anime", "/manga/author/tsutomu-nihei/"])
def test_manga_pages_pass_axe(live_server, axe_context, shelf, path):
    if path in shelf:
        path = shelf[path].get_absolute_url()
    page = axe_context.new_page()
    page.goto(live_server.url + path)
    assert_accessible(page)
