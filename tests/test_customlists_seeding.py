from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from customlists.models import CustomList
from tests.factories import make_anime, make_tag

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo_lists", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_community() -> None:
    for n in (1, 2, 3):
        get_user_model().objects.create_user(f"demo{n:05d}", f"demo{n:05d}@demo.animedex.invalid")
    for name in ["Mecha", "Romance"]:
        tag = make_tag(name=name)
        for rank in range(1, 26):
            make_anime(
                title=f"{name} {rank}", rank=rank + (100 if name == "Romance" else 0), tags=[tag]
            )


def test_demo_lists_are_public_lists_of_one_tag_in_rank_order_mostly(demo_community):
    assert seed("--lists", "2") == "Demo custom lists created: 2\n"
    for custom_list in CustomList.objects.all():
        titles = list(custom_list.items.values_list("anime__title", flat=True))
        assert custom_list.is_public and custom_list.owner.username.startswith("demo")
        assert 8 <= len(titles) == custom_list.item_count <= 20
        assert len({title.split()[0] for title in titles}) == 1  # one tag
        positions = list(custom_list.items.values_list("position", flat=True))
        assert positions == list(range(1, len(titles) + 1))


def test_seeding_again_changes_nothing(demo_community):
    seed("--lists", "2")
    before = list(CustomList.objects.values_list("pk", "item_count"))
    assert "none created" in seed("--lists", "2")
    assert list(CustomList.objects.values_list("pk", "item_count")) == before


def test_without_demo_users_nothing_is_made():
    make_anime()
    assert "none created" in seed()
    assert not CustomList.objects.exists()
