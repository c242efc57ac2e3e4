"""Deleting a member (`user.delete()`, or the admin's delete page) deletes their entries,
reviews, votes and lists by cascade: what other pages count or show of them goes with them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.models import Anime
from customlists.models import CustomList
from tests.factories import make_anime, make_review, make_user
from userlists.models import AnimeListStats, ListEntry, Status

pytestmark = pytest.mark.django_db


def page_version(anime_id: int) -> int:
    return Anime.objects.values_list("page_version", flat=True).get(pk=anime_id)


def test_deleting_a_member_takes_their_entries_out_of_the_anime_figures():
    anime = make_anime()
    member, leaving = make_user(), make_user()
    ListEntry.objects.save_entry(member, anime, status=Status.WATCHED, rating=Decimal("4"))
    ListEntry.objects.save_entry(leaving, anime, status=Status.DROPPED, rating=Decimal("1"))
    leaving.delete()
    stats = AnimeListStats.objects.get(anime=anime)
    anime.refresh_from_db()
    assert (stats.watched, stats.dropped, stats.votes, stats.rating_sum) == (1, 0, 1, 4)
    assert (anime.members, anime.votes, anime.average_rating) == (1, 1, 4)


def test_deleting_a_member_takes_their_votes_out_of_the_reviews_counts():
    review = make_review()
    voter = make_user()
    review.vote(voter, helpful=True)
    voter.delete()
    review.refresh_from_db()
    assert (review.helpful_votes, review.unhelpful_votes) == (0, 0)


def test_deleting_a_member_changes_the_pages_of_the_anime_they_reviewed():
    review = make_review()
    before = page_version(review.anime_id)
    review.author.delete()
    assert page_version(review.anime_id) > before


def test_deleting_a_member_changes_the_pages_of_the_anime_in_their_public_lists():
    anime, owner = make_anime(), make_user()
    CustomList.objects.create(owner=owner, title="Favourites").add(anime)
    before = page_version(anime.pk)
    owner.delete()
    assert page_version(anime.pk) > before


def test_staff_delete_a_member_with_a_list_in_the_admin(admin_client):
    anime, leaving = make_anime(), make_user()
    ListEntry.objects.save_entry(leaving, anime, status=Status.WATCHED, rating=Decimal("4"))
    make_review(anime=anime, author=leaving)
    CustomList.objects.create(owner=leaving, title="Favourites").add(anime)
    url = reverse("admin:auth_user_delete", args=[leaving.pk])
    assert "permission to delete" not in admin_client.get(url).text
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=leaving.pk).exists()
    anime.refresh_from_db()
    assert (anime.members, anime.votes) == (0, 0)


def test_staff_delete_a_list_entry_in_the_admin_through_its_figures(admin_client):
    anime, member = make_anime(), make_user()
    entry = ListEntry.objects.save_entry(member, anime, status=Status.WATCHED, rating=Decimal("4"))
    response = admin_client.post(
        reverse("admin:userlists_listentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    anime.refresh_from_db()
    assert (anime.members, anime.votes, anime.average_rating) == (0, 0, None)


def test_staff_delete_selected_list_entries_through_their_figures(admin_client):
    anime = make_anime()
    entries = [
        ListEntry.objects.save_entry(make_user(), anime, status=Status.DROPPED, rating=Decimal(r))
        for r in ("2", "4")
    ]
    response = admin_client.post(
        reverse("admin:userlists_listentry_changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in entries], "post": "yes"},
    )
    assert response.status_code == 302
    stats = AnimeListStats.objects.get(anime=anime)
    assert (stats.dropped, stats.votes, stats.rating_sum) == (0, 0, 0)


def test_staff_delete_an_anime_in_members_lists_in_the_admin(admin_client):
    anime = make_anime()
    ListEntry.objects.save_entry(make_user(), anime, status=Status.WATCHED, rating=Decimal("4"))
    url = reverse("admin:catalog_anime_delete", args=[anime.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Anime.objects.filter(pk=anime.pk).exists()


def test_staff_cannot_delete_an_anime_s_list_figures_alone(admin_client):
    anime = make_anime()
    ListEntry.objects.save_entry(make_user(), anime, status=Status.WATCHED)
    stats = AnimeListStats.objects.get(anime=anime)
    url = reverse("admin:userlists_animeliststats_delete", args=[stats.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:userlists_animeliststats_changelist"))
    assert "delete_selected" not in changelist.text
    assert AnimeListStats.objects.filter(pk=stats.pk).exists()
