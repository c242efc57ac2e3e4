"""Anonymous pages revalidate with ETags (304s cost no page build); members' pages stay theirs."""

from __future__ import annotations

import pytest

from catalog import page_cache
from tests.factories import make_anime, make_user
from userlists.models import ListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def anime():
    return make_anime(title="Blame!", episodes=6)


def test_an_anonymous_anime_page_carries_an_etag_and_asks_to_be_revalidated(client, anime):
    response = client.get(anime.get_absolute_url())
    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("url", ["/anime/", "/anime/?q=blame", "ANIME"])
def test_anonymous_pages_vary_on_cookie_and_htmx(client, anime, url):
    response = client.get(anime.get_absolute_url() if url == "ANIME" else url)
    vary = {name.strip() for name in response["Vary"].split(",")}
    assert {"Cookie", "HX-Request"} <= vary


def test_a_matching_if_none_match_answers_304_after_one_query(
    client, anime, django_assert_num_queries
):
    etag = client.get(anime.get_absolute_url())["ETag"]
    with django_assert_num_queries(1):  # the page version, nothing else
        response = client.get(anime.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_a_status_click_changes_the_etag_and_the_page(client, anime):
    etag = client.get(anime.get_absolute_url())["ETag"]
    ListEntry.objects.save_entry(make_user(), anime, status="watching")
    response = client.get(anime.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "<dt>Watching</dt><dd>1</dd>" in response.text.replace("\n", "").replace(" ", "")


def test_a_catalog_change_changes_the_list_pages_etag(client, anime):
    etag = client.get("/anime/")["ETag"]
    make_anime(title="Knights of Sidonia")
    response = client.get("/anime/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Knights of Sidonia" in response.text


def test_the_htmx_fragment_and_the_full_page_have_different_etags(client, anime):
    page = client.get("/anime/")["ETag"]
    fragment = client.get("/anime/", headers={"HX-Request": "true"})["ETag"]
    assert page != fragment


def test_a_member_never_gets_a_304_for_the_anonymous_copy(client, anime):
    etag = client.get(anime.get_absolute_url())["ETag"]
    member = make_user("killy")
    ListEntry.objects.save_entry(member, anime, status="dropped")
    client.force_login(member)
    response = client.get(anime.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert 'value="dropped" aria-pressed="true"' in response.text


def test_a_members_page_is_private_and_has_no_etag(client, anime):
    client.force_login(make_user())
    response = client.get(anime.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    assert "Cookie" in response["Vary"]


def test_a_new_release_changes_every_etag(client, anime, monkeypatch):
    etag = client.get(anime.get_absolute_url())["ETag"]
    monkeypatch.setattr(page_cache, "code_fingerprint", lambda: "the next release")
    response = client.get(anime.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_release_can_be_named(monkeypatch):
    monkeypatch.setenv("RELEASE", "3ba7aae")
    page_cache.code_fingerprint.cache_clear()
    try:
        assert page_cache.code_fingerprint() == "3ba7aae"
    finally:
        page_cache.code_fingerprint.cache_clear()
