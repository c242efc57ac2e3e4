"""`__any`: one array parameter for a list of ids."""

from __future__ import annotations

import pytest

from catalog.lookups import int_array
from catalog.models import Anime
from tests.factories import make_anime


def test_int_array_is_an_array_literal():
    assert int_array([3, 1, 2]) == "{3,1,2}"
    assert int_array([]) == "{}"


def test_int_array_refuses_what_is_not_an_integer():
    with pytest.raises(ValueError):
        int_array(["1}", "2"])


@pytest.mark.django_db
def test_any_finds_the_rows_with_these_ids():
    kept, _ = make_anime(), make_anime()
    assert list(Anime.objects.filter(pk__any=[kept.pk, 0])) == [kept]
