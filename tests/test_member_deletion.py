"""Deleting a member (`user.delete()`: the admin refuses while they have list entries, whose admin
is read-only) deletes their entries, reviews, votes and lists by cascade: what other pages count
or show of them goes with them."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
