from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_anime
from userlists.models import AnimeListStats, ListEntry, Status

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def anime():
    return make_anime(title="Blame!", episodes=6, episode_minutes=5)


@pytest.fixture
def member(client, django_user_model):
    user = django_user_model.objects.create_user("killy", password="x")
    client.force_login(user)
    return user


def update_url(anime) -> str:
    return reverse("userlists:update-entry", args=[anime.slug])


def test_anime_page_shows_the_status_buttons_to_members(client, member, anime):
    html = client.get(anime.get_absolute_url()).text
    for label in ("Watched", "Watching", "Want to watch", "Dropped"):
        assert f'value="{label.lower().split()[0] if label != "Want to watch" else "want"}"' in html


def test_anonymous_visitors_get_login_links_and_no_csrf_token(client, anime):
    html = client.get(anime.get_absolute_url()).text
    assert f"/accounts/login/?next={anime.get_absolute_url()}" in html.replace("%2F", "/")
    assert "csrfmiddlewaretoken" not in html


def test_anonymous_post_is_sent_to_log_in(client, anime):
    response = client.post(update_url(anime), {"status": "watching"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_status_button_without_javascript_redirects_back(client, member, anime):
    response = client.post(update_url(anime), {"status": "watching"})
    assert response.status_code == 302
    assert response.url == anime.get_absolute_url()
    assert ListEntry.objects.get(user=member, anime=anime).status == Status.WATCHING


def test_status_button_with_htmx_returns_the_widget_and_the_stats_out_of_band(
    client, member, anime
):
    response = client.post(update_url(anime), {"status": "watching"}, headers=HTMX)
    assert "<html" not in response.text
    assert 'id="my-anime"' in response.text
    assert 'id="user-stats"' in response.text and 'hx-swap-oob="true"' in response.text
    assert 'value="watching" aria-pressed="true"' in response.text


def test_clicking_the_active_status_offers_removal(client, member, anime):
    client.post(update_url(anime), {"status": "watched"})
    response = client.post(update_url(anime), {"status": "watched"}, headers=HTMX)
    assert "Remove it?" in response.text


def test_remove_takes_the_anime_off_the_list(client, member, anime):
    client.post(update_url(anime), {"status": "dropped"})
    client.post(reverse("userlists:remove-entry", args=[anime.slug]))
    assert not ListEntry.objects.exists()
    assert AnimeListStats.objects.get(anime=anime).dropped == 0


def test_plus_one_adds_an_episode(client, member, anime):
    client.post(update_url(anime), {"status": "watching", "progress": "2"})
    client.post(update_url(anime), {"progress": "3"})
    assert ListEntry.objects.get().progress == 3


def test_reaching_the_last_episode_offers_to_mark_it_watched(client, member, anime):
    client.post(update_url(anime), {"status": "watching"})
    response = client.post(update_url(anime), {"progress": "6"}, headers=HTMX)
    assert "That was the last episode." in response.text


@pytest.mark.parametrize(
    ("value", "message"),
    [("7", "less than or equal to 6"), ("-1", "greater than or equal to 0"), ("x", "whole number")],
)
def test_bad_progress_is_a_form_error(client, member, anime, value, message):
    response = client.post(update_url(anime), {"progress": value}, headers=HTMX)
    assert message in response.text
    assert not ListEntry.objects.exists()


@pytest.mark.parametrize("value", ["0", "5.5", "abc", "3.3"])
def test_bad_rating_is_a_form_error(client, member, anime, value):
    response = client.post(update_url(anime), {"rating": value})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not ListEntry.objects.exists()


def test_rating_updates_the_anime_figures(client, member, anime):
    client.post(update_url(anime), {"status": "watched", "rating": "4.5"})
    anime.refresh_from_db()
    assert (anime.votes, anime.average_rating) == (1, Decimal("4.500"))


def test_finish_before_start_is_a_form_error(client, member, anime):
    response = client.post(
        update_url(anime), {"started_on": "2024-05-02", "finished_on": "2024-05-01"}, headers=HTMX
    )
    assert "The finish date cannot be before the start date." in response.text


def test_user_stats_count_every_list(client, django_user_model, anime):
    for n, status in enumerate(["watched", "watched", "dropped"]):
        user = django_user_model.objects.create_user(f"u{n}", password="x")
        ListEntry.objects.save_entry(user, anime, status=status)
    html = client.get(anime.get_absolute_url()).text
    assert "<dt>Watched</dt><dd>2</dd>" in html.replace("\n", "").replace("  ", "")


def test_unknown_anime_is_404(client, member):
    assert client.post("/anime/no-such-anime/my-anime/", {"status": "watched"}).status_code == 404


def test_get_is_not_allowed(client, member, anime):
    assert client.get(update_url(anime)).status_code == 405


def test_anime_page_queries_stay_fixed_for_members(
    client, member, anime, django_assert_max_num_queries
):
    ListEntry.objects.save_entry(member, anime, status="watching")
    # The anonymous page's 11 (its Characters and Staff blocks included), the session and
    # user, the member's entry, their own review and their custom lists.
    # (+1: the recommendations block, userlists.)
    with django_assert_max_num_queries(17):
        client.get(anime.get_absolute_url())


def test_admin_shows_list_entries_read_only(client, anime, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.com", "x")
    ListEntry.objects.save_entry(admin, anime, status="watched")
    client.force_login(admin)
    response = client.get(reverse("admin:userlists_listentry_changelist"))
    assert response.status_code == 200
    assert "Blame!" in response.text
    assert client.get(reverse("admin:userlists_listentry_add")).status_code == 403


def test_the_rating_control_shows_the_saved_rating(client, member, anime):
    client.post(update_url(anime), {"status": "watched", "rating": "4.0"})
    assert (
        '<option value="4.0" selected>4 / 5</option>' in client.get(anime.get_absolute_url()).text
    )


def test_marking_watched_completes_the_episodes(client, member, anime):
    client.post(update_url(anime), {"status": "watched"})
    assert ListEntry.objects.get().progress == 6
