from __future__ import annotations

import pytest

from catalog.models import Anime
from catalog.pagination import CappedPaginator
from tests.factories import make_anime

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_anime():
    for n in range(12):
        make_anime(title=f"Anime {n:02}")
    return Anime.objects.order_by("title")


def test_counts_stop_at_the_cap(twelve_anime):
    paginator = CappedPaginator(twelve_anime, per_page=2, cap=5)
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (5, True, 3)


def test_counts_below_the_cap_are_exact(twelve_anime):
    paginator = CappedPaginator(twelve_anime, per_page=5, cap=100)
    assert (paginator.count, paginator.is_capped) == (12, False)


def test_a_capped_count_says_so_on_the_page(client, settings, twelve_anime, monkeypatch):
    monkeypatch.setattr(CappedPaginator.__init__, "__defaults__", (3,))
    assert "3+ anime" in client.get("/anime/").text
