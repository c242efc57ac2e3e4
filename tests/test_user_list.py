from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Profile
from tests.factories import make_anime
from userlists.models import ListEntry

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("killy", password="x")


@pytest.fixture
def entries(owner):
    made = []
    for n, (status, rating) in enumerate(
        [("watched", "4.5"), ("watching", None), ("want", None), ("dropped", "1")]
    ):
        anime = make_anime(title=f"Anime {n}", episodes=12, episode_minutes=24)
        rating = Decimal(rating) if rating else None
        made.append(
            ListEntry.objects.save_entry(owner, anime, status=status, rating=rating, progress=n)
        )
    return made


def list_url(user) -> str:
    return reverse("userlists:user-list", args=[user.username])


def test_list_shows_every_entry(client, owner, entries):
    html = client.get(list_url(owner)).text
    for entry in entries:
        assert entry.anime.title in html


def test_status_tab_shows_only_that_status(client, owner, entries):
    response = client.get(list_url(owner), {"status": "watching"})
    assert [entry.anime.title for entry in response.context["page"]] == ["Anime 1"]


def test_tabs_count_each_status(client, owner, entries):
    tabs = client.get(list_url(owner)).context["tabs"]
    assert [count for _, _, count in tabs] == [4, 1, 1, 1, 1]


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("title", ["Anime 0", "Anime 1", "Anime 2", "Anime 3"]),
        ("rating", ["Anime 0", "Anime 3", "Anime 1", "Anime 2"]),
        ("progress", ["Anime 3", "Anime 2", "Anime 1", "Anime 0"]),
        ("updated", ["Anime 3", "Anime 2", "Anime 1", "Anime 0"]),
        ("nonsense", ["Anime 3", "Anime 2", "Anime 1", "Anime 0"]),
    ],
)
def test_list_sorts(client, owner, entries, sort, titles):
    response = client.get(list_url(owner), {"sort": sort})
    assert [entry.anime.title for entry in response.context["page"]] == titles


def test_others_see_the_list_read_only(client, owner, entries, django_user_model):
    client.force_login(django_user_model.objects.create_user("cibo", password="x"))
    html = client.get(list_url(owner)).text
    assert 'name="progress"' not in html
    assert 'name="rating"' not in html
    assert "4.5 / 5" in html


def test_owner_edits_in_place(client, owner, entries):
    client.force_login(owner)
    assert 'name="progress"' in client.get(list_url(owner)).text
    url = reverse("userlists:update-list-row", args=[entries[1].anime.slug])
    response = client.post(url, {"progress": "5"}, headers=HTMX)
    assert f'id="entry-{entries[1].pk}"' in response.text
    assert "<html" not in response.text
    assert ListEntry.objects.get(pk=entries[1].pk).progress == 5


def test_in_place_edit_without_javascript_returns_to_the_list(client, owner, entries):
    client.force_login(owner)
    url = reverse("userlists:update-list-row", args=[entries[1].anime.slug])
    response = client.post(url, {"rating": "3"})
    assert response.status_code == 302
    assert response.url == list_url(owner)


def test_nobody_edits_someone_elses_list(client, owner, entries, django_user_model):
    intruder = django_user_model.objects.create_user("cibo", password="x")
    client.force_login(intruder)
    url = reverse("userlists:update-list-row", args=[entries[0].anime.slug])
    client.post(url, {"rating": "0.5"})
    assert ListEntry.objects.get(pk=entries[0].pk).rating == Decimal("4.5")


def test_private_list_is_hidden_from_others(client, owner, entries):
    Profile.objects.update_or_create(user=owner, defaults={"list_is_public": False})
    response = client.get(list_url(owner))
    assert response.status_code == 403
    assert "This list is private." in response.text
    assert "Anime 0" not in response.text


def test_private_list_is_seen_by_its_owner(client, owner, entries):
    Profile.objects.update_or_create(user=owner, defaults={"list_is_public": False})
    client.force_login(owner)
    assert client.get(list_url(owner)).status_code == 200


def test_unknown_user_is_404(client):
    assert client.get("/users/nobody/anime/").status_code == 404


def test_list_page_queries_do_not_grow_with_the_list(
    client, owner, entries, django_assert_max_num_queries
):
    for n in range(30):
        ListEntry.objects.save_entry(owner, make_anime(title=f"More {n}"), status="watched")
    with django_assert_max_num_queries(8):
        client.get(list_url(owner))


def test_htmx_tab_returns_the_list_fragment(client, owner, entries):
    response = client.get(list_url(owner), {"status": "dropped"}, headers=HTMX)
    assert "<html" not in response.text
    assert 'id="user-list"' in response.text


def test_profile_shows_the_list_figures(client, owner, entries):
    html = client.get(reverse("accounts:profile", args=[owner.username])).text
    assert "Episodes watched" in html
    assert "Hours watched" in html
    assert "2.75 / 5" in html


def test_profile_hides_figures_of_a_private_list(client, owner, entries):
    Profile.objects.update_or_create(user=owner, defaults={"list_is_public": False})
    html = client.get(reverse("accounts:profile", args=[owner.username])).text
    assert "Episodes watched" not in html
