from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from catalog.models import Anime
from tests.factories import make_anime
from userlists.models import AnimeListStats, ListEntry, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def anime():
    return make_anime(title="Blame!", episodes=6)


@pytest.fixture
def users(django_user_model):
    return [django_user_model.objects.create_user(f"user{n}", password="x") for n in range(4)]


def figures(anime: Anime) -> tuple:
    stats = AnimeListStats.objects.get(anime=anime)
    anime.refresh_from_db()
    return (
        stats.watched,
        stats.watching,
        stats.want,
        stats.dropped,
        anime.votes,
        anime.average_rating,
    )


def test_a_new_entry_counts_in_its_status(anime, users):
    ListEntry.objects.save_entry(users[0], anime, status=Status.WATCHING)
    assert figures(anime) == (0, 1, 0, 0, 0, None)


def test_a_new_entry_without_a_status_is_want_to_watch(anime, users):
    assert ListEntry.objects.save_entry(users[0], anime).status == Status.WANT_TO_WATCH


def test_changing_status_moves_the_count(anime, users):
    ListEntry.objects.save_entry(users[0], anime, status=Status.WATCHING)
    ListEntry.objects.save_entry(users[0], anime, status=Status.WATCHED)
    assert figures(anime)[:4] == (1, 0, 0, 0)


def test_ratings_make_the_mean_and_the_votes(anime, users):
    ListEntry.objects.save_entry(users[0], anime, rating=Decimal("4.5"))
    ListEntry.objects.save_entry(users[1], anime, rating=Decimal("2"))
    ListEntry.objects.save_entry(users[2], anime, rating=Decimal("1"))
    assert figures(anime)[4:] == (3, Decimal("2.500"))


def test_removing_an_entry_takes_back_its_figures(anime, users):
    ListEntry.objects.save_entry(users[0], anime, status=Status.DROPPED, rating=Decimal("1"))
    ListEntry.objects.remove_entry(users[0], anime)
    assert figures(anime) == (0, 0, 0, 0, 0, None)
    assert not ListEntry.objects.exists()


def test_progress_stops_at_the_last_episode(anime, users):
    assert ListEntry.objects.save_entry(users[0], anime, progress=99).progress == 6


@pytest.mark.parametrize("rating", [Decimal("0"), Decimal("5.5"), Decimal("3.3")])
def test_ratings_outside_half_stars_are_refused_and_nothing_is_written(anime, users, rating):
    with pytest.raises(ValidationError):
        ListEntry.objects.save_entry(users[0], anime, status=Status.WATCHED, rating=rating)
    assert not ListEntry.objects.exists()
    assert not AnimeListStats.objects.filter(anime=anime, watched__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_figures_stay_exact_under_concurrent_writes(anime, users):
    """Each user clicks several statuses and ratings at once, twice over (a double click)."""
    plan = [
        (user, status, rating)
        for user in users
        for status, rating in [
            (Status.WATCHING, "3"),
            (Status.WATCHED, "4.5"),
            (Status.DROPPED, "1"),
        ]
    ] * 2
    errors = []

    def click(user, status, rating):
        try:
            ListEntry.objects.save_entry(user, anime, status=status, rating=Decimal(rating))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=step) for step in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    entries = ListEntry.objects.filter(anime=anime)
    stats = AnimeListStats.objects.get(anime=anime)
    for status in Status:
        assert getattr(stats, status.value) == entries.filter(status=status).count()
    assert stats.votes == entries.exclude(rating=None).count() == len(users)
    assert stats.rating_sum == sum(entry.rating for entry in entries)


def test_the_anime_counts_the_lists_holding_it(anime, users):
    for user, status in zip(users, ["watched", "want", "dropped"], strict=False):
        ListEntry.objects.save_entry(user, anime, status=status)
    ListEntry.objects.remove_entry(users[1], anime)
    anime.refresh_from_db()
    assert anime.members == 2


@pytest.mark.parametrize("before", list(Status))
@pytest.mark.parametrize("after", list(Status))
def test_every_status_transition_moves_exactly_one_count(anime, users, before, after):
    ListEntry.objects.save_entry(users[0], anime, status=before)
    ListEntry.objects.save_entry(users[0], anime, status=after)
    stats = AnimeListStats.objects.get(anime=anime)
    assert {status: getattr(stats, status.value) for status in Status} == {
        status: int(status == after) for status in Status
    }
