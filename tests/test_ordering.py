"""in_choice_order sorts by the order choices are declared in."""

from __future__ import annotations

import pytest

from catalog.models import Anime, Kind
from catalog.ordering import in_choice_order
from tests.factories import make_anime

pytestmark = pytest.mark.django_db


def test_values_sort_in_the_order_their_choices_are_declared():
    for kind in (Kind.SPECIAL, Kind.TV, Kind.OVA):
        make_anime(title=kind.label, kind=kind)
    ordered = Anime.objects.order_by(in_choice_order("kind", Kind)).values_list("kind", flat=True)
    assert list(ordered) == [Kind.TV, Kind.OVA, Kind.SPECIAL]


def test_a_value_without_a_choice_sorts_last():
    make_anime(title="Unknown", kind=None)
    make_anime(title="Music", kind=Kind.MUSIC)
    ordered = Anime.objects.order_by(in_choice_order("kind", Kind)).values_list("title", flat=True)
    assert list(ordered) == ["Music", "Unknown"]
