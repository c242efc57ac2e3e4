"""Custom list pages: who may see and change what, the htmx fragments and their no-JavaScript
fallbacks, the anime page's block, bad input, and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customlists import models as customlists_models
from customlists.models import MAX_NOTE_LENGTH, MAX_TITLE_LENGTH, CustomList
from tests.factories import make_anime, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def owner():
    return make_user("killy")


@pytest.fixture
def anime():
    return make_anime(title="Blame!", episodes=6)


@pytest.fixture
def custom_list(owner, anime):
    custom_list = CustomList.objects.create_list(owner=owner, title="Cyberpunk", anime=anime)
    for title in ["Ergo Proxy", "Serial Experiments Lain"]:
        custom_list.add(make_anime(title=title))
    return custom_list


@pytest.fixture
def private_list(owner):
    return CustomList.objects.create_list(owner=owner, title="Guilty pleasures", is_public=False)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_client(client):
    client.force_login(make_user("cibo"))
    return client


def titles(custom_list: CustomList) -> list[str]:
    return list(custom_list.items.order_by("position").values_list("anime__title", flat=True))


def item_url(custom_list: CustomList, title: str, action: str) -> str:
    item = custom_list.items.get(anime__title=title)
    return reverse(f"customlists:{action}", args=[custom_list.pk, item.pk])


# Seeing lists


def test_anyone_sees_a_public_list_in_order(client, custom_list):
    response = client.get(custom_list.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert html.index("Blame!") < html.index("Ergo Proxy") < html.index("Serial Experiments Lain")
    assert "Edit the list" not in html and "csrfmiddlewaretoken" not in html


def test_a_private_list_is_404_to_others(client, other_client, private_list):
    assert other_client.get(private_list.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(private_list.get_absolute_url()).status_code == 404


def test_the_owner_sees_their_private_list(owner_client, private_list):
    response = owner_client.get(private_list.get_absolute_url())
    assert response.status_code == 200
    assert "private: only you see it" in response.text


def test_an_unknown_list_is_404(client):
    assert client.get("/lists/999999/").status_code == 404


def test_recent_lists_show_public_lists_with_anime(client, custom_list, private_list, owner):
    CustomList.objects.create_list(owner=owner, title="Empty so far")
    html = client.get(reverse("customlists:recent")).text
    assert "Cyberpunk" in html
    assert "Guilty pleasures" not in html and "Empty so far" not in html


def test_recent_lists_are_paginated(client, owner, anime, monkeypatch):
    for n in range(3):
        CustomList.objects.create_list(owner=owner, title=f"List number {n}", anime=anime)
    monkeypatch.setattr("customlists.views.LISTS_PER_PAGE", 2)
    first = client.get(reverse("customlists:recent")).text
    second = client.get(reverse("customlists:recent"), {"page": 2}).text
    assert "List number 2" in first and "List number 1" in first
    assert "List number 0" in second and "List number 2" not in second


def test_the_next_page_of_lists_comes_as_a_fragment_to_htmx(client, custom_list):
    response = client.get(reverse("customlists:recent"), headers=HTMX)
    assert 'id="list-cards"' in response.text
    assert "<html" not in response.text


def test_a_users_lists_show_private_ones_to_the_owner_only(
    client, owner_client, custom_list, private_list, owner
):
    url = reverse("customlists:user-lists", args=[owner.username])
    assert "Guilty pleasures" in owner_client.get(url).text
    client.logout()
    html = client.get(url).text
    assert "Cyberpunk" in html and "Guilty pleasures" not in html


def test_the_profile_links_to_the_users_lists(client, owner):
    html = client.get(reverse("accounts:profile", args=[owner.username])).text
    assert reverse("customlists:user-lists", args=[owner.username]) in html


def test_an_anime_page_lists_its_public_lists(client, custom_list, private_list, anime):
    private_list.add(anime)
    html = client.get(anime.get_absolute_url()).text
    assert "Cyberpunk" in html and "by killy" in html
    assert "Guilty pleasures" not in html
    assert reverse("customlists:anime-lists", args=[anime.slug]) in html


def test_see_all_lists_of_an_anime(client, custom_list, anime, owner):
    CustomList.objects.create_list(owner=make_user(), title="Seinen", anime=anime)
    CustomList.objects.create_list(owner=owner, title="Without it", anime=make_anime())
    html = client.get(reverse("customlists:anime-lists", args=[anime.slug])).text
    assert "Cyberpunk" in html and "Seinen" in html and "Without it" not in html
    assert html.index("Seinen") < html.index("Cyberpunk")  # the latest to add it first


def test_the_anime_page_offers_anonymous_visitors_no_form(client, custom_list, anime):
    html = client.get(anime.get_absolute_url()).text
    assert "csrfmiddlewaretoken" not in html
    assert "Add to a custom list" not in html
    assert "to put it in a list of your own" in html


def test_the_anime_page_offers_members_their_lists(owner_client, custom_list, private_list, anime):
    html = owner_client.get(anime.get_absolute_url()).text
    assert "Add to a custom list" in html
    assert f'<option value="{private_list.pk}">Guilty pleasures</option>' in html
    # Already in Cyberpunk: named, not offered.
    assert f'<option value="{custom_list.pk}">' not in html
    assert "In your list:" in html


def test_the_anime_page_block_takes_one_query_however_many_lists(
    client, anime, django_assert_num_queries
):
    for n in range(8):
        CustomList.objects.create_list(owner=make_user(), title=f"List {n}", anime=anime)
    # The page version, the anime, its studios, tags, titles and relations, the User Stats,
    # the reviews with their count, the public lists with theirs, the related manga, the
    # characters and the staff.
    # (+1: the recommendations block, userlists.)
    with django_assert_num_queries(13):
        html = client.get(anime.get_absolute_url()).text
    assert "See all custom lists" in html and "(8)" in html


def test_the_anime_page_takes_two_more_queries_for_members(
    owner_client, anime, owner, django_assert_max_num_queries
):
    for n in range(5):
        CustomList.objects.create_list(owner=owner, title=f"Mine {n}", anime=anime)
        CustomList.objects.create_list(owner=owner, title=f"Without {n}")
    # The anonymous page's 12 (less the page version), the session and user, the member's
    # watch-list entry and review, and their custom lists.
    # (+1: the recommendations block, userlists.)
    with django_assert_max_num_queries(17):
        owner_client.get(anime.get_absolute_url())


def test_a_list_page_takes_a_fixed_number_of_queries(
    owner_client, custom_list, django_assert_num_queries
):
    for n in range(5):
        custom_list.add(make_anime(title=f"More {n}"))
    # The session, the user, the list with its owner, its items with their anime.
    with django_assert_num_queries(4):
        owner_client.get(custom_list.get_absolute_url())


def test_recent_lists_take_a_fixed_number_of_queries(client, anime, django_assert_num_queries):
    for n in range(5):
        custom_list = CustomList.objects.create_list(owner=make_user(), title=f"L{n}", anime=anime)
        custom_list.add(make_anime())
    # The count, the lists with their owners, their first covers.
    with django_assert_num_queries(3):
        client.get(reverse("customlists:recent"))


# Creating, editing, deleting


def test_anonymous_visitors_are_sent_to_log_in(client, custom_list):
    for url in [
        reverse("customlists:create"),
        reverse("customlists:edit-list", args=[custom_list.pk]),
        reverse("customlists:delete-list", args=[custom_list.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_creating_a_list(owner_client, owner):
    response = owner_client.post(
        reverse("customlists:create"),
        {"title": "Mecha", "description": "Big robots.", "is_public": "on"},
    )
    custom_list = CustomList.objects.get(owner=owner, title="Mecha")
    assert response.status_code == 302 and response.url == custom_list.get_absolute_url()
    assert custom_list.is_public and custom_list.description == "Big robots."


def test_creating_a_list_from_an_anime_page_puts_the_anime_in_it(owner_client, owner, anime):
    response = owner_client.post(
        f"{reverse('customlists:create')}?anime={anime.slug}", {"title": "Bleak"}
    )
    assert response.status_code == 302
    assert response.url == f"{anime.get_absolute_url()}#custom-lists"
    custom_list = CustomList.objects.get(owner=owner, title="Bleak")
    assert titles(custom_list) == ["Blame!"] and not custom_list.is_public


def test_creating_a_list_for_an_unknown_anime_is_404(owner_client):
    response = owner_client.get(reverse("customlists:create"), {"anime": "no-such-anime"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * (MAX_TITLE_LENGTH + 1)}, "at most 100 characters"),
        ({"title": "Fine", "description": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_a_bad_list_is_refused_with_an_error(owner_client, data, error):
    response = owner_client.post(reverse("customlists:create"), data)
    assert response.status_code == 400
    assert error in response.text
    assert not CustomList.objects.exists()


def test_the_list_limit_shows_as_a_form_error(owner_client, owner, monkeypatch):
    monkeypatch.setattr(customlists_models, "MAX_LISTS_PER_USER", 1)
    CustomList.objects.create_list(owner=owner, title="Only one")
    response = owner_client.post(reverse("customlists:create"), {"title": "Second"})
    assert response.status_code == 400
    assert "the most we keep" in response.text


def test_the_owner_edits_their_list(owner_client, custom_list):
    url = reverse("customlists:edit-list", args=[custom_list.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, {"title": "Cyberpunk classics", "description": "Neon."})
    assert response.status_code == 302
    custom_list.refresh_from_db()
    assert (custom_list.title, custom_list.is_public, custom_list.item_count) == (
        "Cyberpunk classics",
        False,
        3,
    )


def test_others_may_not_edit_or_delete_a_public_list(other_client, custom_list):
    for action in ["edit-list", "delete-list"]:
        url = reverse(f"customlists:{action}", args=[custom_list.pk])
        assert other_client.get(url).status_code == 403
        assert other_client.post(url, {"title": "Mine now"}).status_code == 403
    custom_list.refresh_from_db()
    assert custom_list.title == "Cyberpunk"


def test_others_get_404_for_a_private_lists_edit_page(other_client, private_list):
    url = reverse("customlists:edit-list", args=[private_list.pk])
    assert other_client.get(url).status_code == 404


def test_the_owner_deletes_their_list(owner_client, custom_list, owner):
    url = reverse("customlists:delete-list", args=[custom_list.pk])
    assert "gone for good" in owner_client.get(url).text
    response = owner_client.post(url)
    assert response.url == reverse("customlists:user-lists", args=[owner.username])
    assert not CustomList.objects.filter(pk=custom_list.pk).exists()


# Adding from the anime page


def add_url(anime) -> str:
    return reverse("customlists:add-anime", args=[anime.slug])


def test_adding_without_javascript_goes_back_to_the_anime(owner_client, private_list, anime):
    response = owner_client.post(add_url(anime), {"custom_list": private_list.pk})
    assert response.status_code == 302
    assert response.url == f"{anime.get_absolute_url()}#custom-lists"
    assert titles(private_list) == ["Blame!"]
    html = owner_client.get(anime.get_absolute_url()).text
    assert "Guilty pleasures</a>" in html  # now among "In your lists"


def test_adding_with_htmx_swaps_the_block_with_a_confirmation(owner_client, private_list, anime):
    response = owner_client.post(add_url(anime), {"custom_list": private_list.pk}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="custom-lists"' in response.text
    assert "Added to <a" in response.text and "Guilty pleasures" in response.text


def test_adding_twice_says_so_rather_than_failing(owner_client, custom_list, anime):
    response = owner_client.post(add_url(anime), {"custom_list": custom_list.pk}, headers=HTMX)
    assert response.status_code == 200
    assert "Blame! is already in “Cyberpunk”." in response.text
    response = owner_client.post(add_url(anime), {"custom_list": custom_list.pk})
    assert response.status_code == 400
    assert "Blame! is already in “Cyberpunk”." in response.text
    assert titles(custom_list).count("Blame!") == 1


def test_a_full_list_says_so(owner_client, private_list, anime, monkeypatch):
    monkeypatch.setattr(customlists_models, "MAX_ITEMS", 0)
    response = owner_client.post(add_url(anime), {"custom_list": private_list.pk}, headers=HTMX)
    assert "the most a list can" in response.text
    assert private_list.items.count() == 0


def test_nobody_adds_to_someone_elses_list(other_client, custom_list):
    response = other_client.post(add_url(make_anime()), {"custom_list": custom_list.pk})
    assert response.status_code == 400
    assert "Pick one of your lists." in response.text
    assert custom_list.items.count() == 3


def test_adding_needs_a_log_in_and_a_post(client, owner_client, private_list, anime):
    assert owner_client.get(add_url(anime)).status_code == 405
    client.logout()
    response = client.post(add_url(anime), {"custom_list": private_list.pk})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert private_list.items.count() == 0


def test_adding_an_unknown_anime_is_404(owner_client, private_list):
    response = owner_client.post(
        "/anime/no-such-anime/lists/add/", {"custom_list": private_list.pk}
    )
    assert response.status_code == 404


# Reordering, notes, removal


def test_moving_up_without_javascript_redirects_to_the_item(owner_client, custom_list):
    url = item_url(custom_list, "Ergo Proxy", "move-item")
    response = owner_client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert response.url.startswith(custom_list.get_absolute_url() + "#item-")
    assert titles(custom_list) == ["Ergo Proxy", "Blame!", "Serial Experiments Lain"]


def test_moving_down_with_htmx_returns_the_reordered_items(owner_client, custom_list):
    url = item_url(custom_list, "Blame!", "move-item")
    response = owner_client.post(url, {"direction": "down"}, headers=HTMX)
    html = response.text
    assert response.status_code == 200 and "<html" not in html
    assert html.index("Ergo Proxy") < html.index("Blame!") < html.index("Serial Experiments")


def test_moving_to_a_position(owner_client, custom_list):
    owner_client.post(
        item_url(custom_list, "Serial Experiments Lain", "move-item"), {"position": 1}
    )
    assert titles(custom_list) == ["Serial Experiments Lain", "Blame!", "Ergo Proxy"]


@pytest.mark.parametrize(
    "data", [{}, {"direction": "sideways"}, {"position": "0"}, {"position": "x"}]
)
def test_a_bad_move_is_refused(owner_client, custom_list, data):
    response = owner_client.post(item_url(custom_list, "Blame!", "move-item"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert titles(custom_list) == ["Blame!", "Ergo Proxy", "Serial Experiments Lain"]


def test_removing_without_javascript(owner_client, custom_list):
    response = owner_client.post(item_url(custom_list, "Ergo Proxy", "remove-item"))
    assert response.status_code == 302
    assert titles(custom_list) == ["Blame!", "Serial Experiments Lain"]
    assert list(custom_list.items.values_list("position", flat=True).order_by("position")) == [1, 2]


def test_removing_with_htmx_returns_the_items(owner_client, custom_list):
    url = item_url(custom_list, "Ergo Proxy", "remove-item")
    response = owner_client.post(url, headers=HTMX)
    assert "Removed Ergo Proxy." in response.text and "<html" not in response.text


def test_editing_a_note_with_htmx_returns_the_item(owner_client, custom_list):
    url = item_url(custom_list, "Blame!", "edit-note")
    response = owner_client.post(url, {"note": "Start here."}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.strip().startswith('<li id="item-')
    assert "Start here." in response.text
    assert custom_list.items.get(anime__title="Blame!").note == "Start here."


def test_editing_a_note_without_javascript(owner_client, custom_list):
    response = owner_client.post(item_url(custom_list, "Blame!", "edit-note"), {"note": "Vast."})
    assert response.status_code == 302
    assert "Vast." in owner_client.get(custom_list.get_absolute_url()).text


def test_a_too_long_note_is_a_form_error(owner_client, custom_list):
    url = item_url(custom_list, "Blame!", "edit-note")
    response = owner_client.post(url, {"note": "x" * (MAX_NOTE_LENGTH + 1)})
    assert response.status_code == 400
    assert "at most 1000 characters" in response.text
    assert custom_list.items.get(anime__title="Blame!").note == ""


def test_others_may_not_change_items(other_client, custom_list):
    for action, data in [
        ("move-item", {"direction": "down"}),
        ("remove-item", {}),
        ("edit-note", {"note": "Mine"}),
    ]:
        assert other_client.post(item_url(custom_list, "Blame!", action), data).status_code == 403
    assert titles(custom_list) == ["Blame!", "Ergo Proxy", "Serial Experiments Lain"]


def test_anonymous_item_changes_go_to_log_in(client, custom_list):
    response = client.post(item_url(custom_list, "Blame!", "remove-item"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert custom_list.items.count() == 3


def test_an_item_of_another_list_is_404(owner_client, owner, custom_list):
    other_list = CustomList.objects.create_list(owner=owner, title="Other", anime=make_anime())
    item = other_list.items.get()
    url = reverse("customlists:remove-item", args=[custom_list.pk, item.pk])
    assert owner_client.post(url).status_code == 404
    assert other_list.items.count() == 1


def test_item_changes_take_posts_only(owner_client, custom_list):
    for action in ["move-item", "remove-item", "edit-note"]:
        assert owner_client.get(item_url(custom_list, "Blame!", action)).status_code == 405


# The anime page's cached copy


def test_adding_to_a_public_list_refreshes_the_cached_anime_page(client, owner, anime):
    other = CustomList.objects.create_list(owner=owner, title="Late addition")
    assert "Late addition" not in client.get(anime.get_absolute_url()).text
    other.add(anime)
    assert "Late addition" in client.get(anime.get_absolute_url()).text


def test_renaming_a_list_refreshes_the_cached_anime_page(client, owner_client, custom_list, anime):
    client.logout()
    assert "Cyberpunk" in client.get(anime.get_absolute_url()).text
    client.force_login(custom_list.owner)
    url = reverse("customlists:edit-list", args=[custom_list.pk])
    client.post(url, {"title": "Neon and rust", "is_public": "on"})
    client.logout()
    html = client.get(anime.get_absolute_url()).text
    assert "Neon and rust" in html and "Cyberpunk" not in html


def test_removing_refreshes_the_cached_anime_page(client, custom_list, anime):
    assert "Cyberpunk" in client.get(anime.get_absolute_url()).text
    custom_list.remove(custom_list.items.get(anime=anime).pk)
    assert "Cyberpunk" not in client.get(anime.get_absolute_url()).text


# The admin


def test_the_admin_reorders_items_and_keeps_positions_dense(client, custom_list, anime):
    from tests.factories import make_superuser

    client.force_login(make_superuser())
    url = reverse("admin:customlists_customlist_change", args=[custom_list.pk])
    assert client.get(url).status_code == 200
    items = list(custom_list.items.order_by("position"))
    data = {
        "owner": custom_list.owner_id,
        "title": "Cyberpunk",
        "description": "",
        "is_public": "on",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "3",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "500",
    }
    # Blame! to the end (a position past it), Ergo Proxy deleted.
    for n, (item, position) in enumerate(zip(items, [9, 2, 3], strict=True)):
        data |= {
            f"items-{n}-id": item.pk,
            f"items-{n}-custom_list": custom_list.pk,
            f"items-{n}-anime": item.anime_id,
            f"items-{n}-position": position,
            f"items-{n}-note": "",
        }
    data["items-1-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.text
    assert titles(custom_list) == ["Serial Experiments Lain", "Blame!"]
    assert list(custom_list.items.values_list("position", flat=True).order_by("position")) == [1, 2]
    custom_list.refresh_from_db()
    assert custom_list.item_count == 2


def test_a_bad_move_with_htmx_shows_the_error_in_place(owner_client, custom_list):
    url = item_url(custom_list, "Blame!", "move-item")
    response = owner_client.post(url, {"position": "0"}, headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert "greater than or equal to 1" in response.text
