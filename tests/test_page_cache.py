from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Studio, Tag
from tests.factories import make_anime, make_review, make_studio, make_tag, make_user
from userlists.models import ListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def anime():
    return make_anime(title="Blame!", episodes=6)


def test_a_second_anonymous_visit_is_served_from_the_cache(
    client, anime, django_assert_num_queries
):
    client.get(anime.get_absolute_url())
    # Only the anime's page version, to find the cached copy.
    with django_assert_num_queries(1):
        response = client.get(anime.get_absolute_url())
    assert "Blame!" in response.text


def test_a_status_click_refreshes_the_user_stats_anonymous_visitors_see(client, anime):
    client.get(anime.get_absolute_url())
    ListEntry.objects.save_entry(make_user(), anime, status="watching")
    html = client.get(anime.get_absolute_url()).text.replace("\n", "").replace(" ", "")
    assert "<dt>Watching</dt><dd>1</dd>" in html


def test_a_new_review_refreshes_the_anime_page(client, anime):
    client.get(anime.get_absolute_url())
    make_review(anime=anime, title="Gloomy and grand")
    assert "Gloomy and grand" in client.get(anime.get_absolute_url()).text


def test_logged_in_visitors_get_their_own_page(client, anime):
    client.get(anime.get_absolute_url())
    member = make_user("killy")
    ListEntry.objects.save_entry(member, anime, status="dropped")
    client.force_login(member)
    html = client.get(anime.get_absolute_url()).text
    assert 'value="dropped" aria-pressed="true"' in html


def test_the_rank_job_refreshes_the_catalog_pages(client):
    make_anime(title="Top", votes=50, average_rating=Decimal("4.5"))
    assert "Rank #1" not in client.get("/anime/").text
    call_command("rank_anime", stdout=StringIO())
    assert "Rank #1" in client.get("/anime/").text


def test_an_edited_title_shows_at_once(client, anime):
    client.get("/anime/")
    anime.title = "BLAME! Gakuen"
    anime.save()
    assert "BLAME! Gakuen" in client.get("/anime/").text
    assert "BLAME! Gakuen" in client.get(anime.get_absolute_url()).text


def test_a_deleted_anime_leaves_the_cached_listings_at_once(client, anime):
    assert "Blame!" in client.get("/anime/").text
    anime.delete()
    assert "Blame!" not in client.get("/anime/").text


def test_a_deleted_tag_leaves_the_cached_pages_at_once(client):
    anime = make_anime(tags=[make_tag(name="Cyberpunk")])
    assert "Cyberpunk" in client.get(anime.get_absolute_url()).text
    anime.tags.get().delete()
    assert "Cyberpunk" not in client.get(anime.get_absolute_url()).text


def test_the_htmx_fragment_and_the_full_page_are_cached_apart(client, anime):
    client.get("/anime/", headers={"HX-Request": "true"})
    assert "<html" in client.get("/anime/").text


def test_a_renamed_tag_shows_on_the_cached_anime_page_at_once(client):
    anime = make_anime(tags=[make_tag(name="Cyberpunk")])
    assert "Cyberpunk" in client.get(anime.get_absolute_url()).text
    tag = anime.tags.get()
    tag.name = "Steampunk"
    tag.save()
    assert "Steampunk" in client.get(anime.get_absolute_url()).text


def rename_studio(studio: Studio) -> None:
    studio.name = "Polygon"
    studio.save()


def delete_studios_in_bulk(studio: Studio) -> None:
    Studio.objects.filter(pk=studio.pk).delete()


@pytest.mark.parametrize(
    "change", [rename_studio, Studio.delete, delete_studios_in_bulk], ids=lambda f: f.__name__
)
def test_a_studio_renamed_or_deleted_leaves_the_cached_pages_at_once(client, change):
    anime = make_anime(title="Blame!", studios=[make_studio(name="Polygon Pictures")])
    assert "Polygon Pictures" in client.get(anime.get_absolute_url()).text
    assert "Polygon Pictures" in client.get("/anime/").text
    change(anime.studios.get())
    assert "Polygon Pictures" not in client.get(anime.get_absolute_url()).text
    assert "Polygon Pictures" not in client.get("/anime/").text


def test_tags_deleted_in_bulk_leave_the_cached_anime_page_at_once(client):
    anime = make_anime(tags=[make_tag(name="Cyberpunk")])
    assert "Cyberpunk" in client.get(anime.get_absolute_url()).text
    Tag.objects.filter(name="Cyberpunk").delete()
    assert "Cyberpunk" not in client.get(anime.get_absolute_url()).text
