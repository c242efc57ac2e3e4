"""Custom lists' rules: order kept 1..n through adds, moves and removals, exact counts, limits,
concurrent edits, and anime pages refreshed when a public list changes what they show."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.models import Anime
from customlists import models as customlists_models
from customlists.models import (
    MAX_LISTS_PER_USER,
    AlreadyInList,
    CustomList,
    CustomListItem,
    ListFull,
    ListGone,
    TooManyLists,
)
from tests.factories import make_anime, make_user

pytestmark = pytest.mark.django_db


def make_list(owner=None, anime=(), **fields) -> CustomList:
    fields = {"title": "Favourites", **fields}
    custom_list = CustomList.objects.create_list(owner=owner or make_user(), **fields)
    for each in anime:
        custom_list.add(each)
    return custom_list


def titles(custom_list: CustomList) -> list[str]:
    return list(custom_list.items.order_by("position").values_list("anime__title", flat=True))


def positions(custom_list: CustomList) -> list[int]:
    return list(custom_list.items.order_by("position").values_list("position", flat=True))


def check_deferred_constraints() -> None:
    """The (list, position) uniqueness is checked at commit, which a test never reaches: ask
    PostgreSQL to check it now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def four():
    return [make_anime(title=title) for title in ["A", "B", "C", "D"]]


def test_adding_appends_at_the_end(four):
    custom_list = make_list(anime=four)
    assert titles(custom_list) == ["A", "B", "C", "D"]
    assert positions(custom_list) == [1, 2, 3, 4]
    assert CustomList.objects.get(pk=custom_list.pk).item_count == 4


def test_adding_an_anime_twice_is_refused_with_a_message(four):
    custom_list = make_list(anime=four[:1])
    with pytest.raises(AlreadyInList, match="A is already in “Favourites”"):
        custom_list.add(four[0])
    assert CustomList.objects.get(pk=custom_list.pk).item_count == 1


def test_the_database_refuses_an_anime_twice_in_a_list(four):
    custom_list = make_list(anime=four[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomListItem.objects.create(custom_list=custom_list, anime=four[0], position=2)


def test_moving_up_swaps_with_the_one_above(four):
    custom_list = make_list(anime=four)
    custom_list.move(custom_list.items.get(anime__title="C").pk, by=-1)
    check_deferred_constraints()
    assert titles(custom_list) == ["A", "C", "B", "D"]
    assert positions(custom_list) == [1, 2, 3, 4]


def test_moving_down_swaps_with_the_one_below(four):
    custom_list = make_list(anime=four)
    custom_list.move(custom_list.items.get(anime__title="A").pk, by=1)
    check_deferred_constraints()
    assert titles(custom_list) == ["B", "A", "C", "D"]


def test_moving_to_a_position_shifts_the_ones_in_between(four):
    custom_list = make_list(anime=four)
    custom_list.move(custom_list.items.get(anime__title="D").pk, to=1)
    assert titles(custom_list) == ["D", "A", "B", "C"]
    custom_list.move(custom_list.items.get(anime__title="D").pk, to=3)
    check_deferred_constraints()
    assert titles(custom_list) == ["A", "B", "D", "C"]
    assert positions(custom_list) == [1, 2, 3, 4]


def test_moves_past_either_end_stop_there(four):
    custom_list = make_list(anime=four)
    custom_list.move(custom_list.items.get(anime__title="A").pk, by=-1)
    custom_list.move(custom_list.items.get(anime__title="B").pk, to=99)
    check_deferred_constraints()
    assert titles(custom_list) == ["A", "C", "D", "B"]
    assert positions(custom_list) == [1, 2, 3, 4]


def test_removing_closes_the_gap(four):
    custom_list = make_list(anime=four)
    removed = custom_list.remove(custom_list.items.get(anime__title="B").pk)
    check_deferred_constraints()
    assert removed.anime == four[1]
    assert titles(custom_list) == ["A", "C", "D"]
    assert positions(custom_list) == [1, 2, 3]
    assert CustomList.objects.get(pk=custom_list.pk).item_count == 3


def test_adding_after_a_removal_goes_to_the_new_end(four):
    custom_list = make_list(anime=four[:3])
    custom_list.remove(custom_list.items.get(anime__title="A").pk)
    custom_list.add(four[3])
    check_deferred_constraints()
    assert titles(custom_list) == ["B", "C", "D"]
    assert positions(custom_list) == [1, 2, 3]


def test_removing_twice_changes_nothing_the_second_time(four):
    custom_list = make_list(anime=four)
    item_id = custom_list.items.get(anime__title="B").pk
    custom_list.remove(item_id)
    assert custom_list.remove(item_id) is None
    assert CustomList.objects.get(pk=custom_list.pk).item_count == 3


def test_an_item_of_another_list_cannot_be_moved_or_removed(four):
    mine, theirs = make_list(anime=four[:2]), make_list(anime=four[:2])
    their_item = theirs.items.get(anime__title="B").pk
    assert mine.move(their_item, to=1) is None
    assert mine.remove(their_item) is None
    assert titles(theirs) == ["A", "B"]


def test_a_full_list_refuses_more(monkeypatch, four):
    monkeypatch.setattr(customlists_models, "MAX_ITEMS", 3)
    custom_list = make_list(anime=four[:3])
    with pytest.raises(ListFull):
        custom_list.add(four[3])
    assert CustomList.objects.get(pk=custom_list.pk).item_count == 3


def test_a_member_has_at_most_so_many_lists():
    owner = make_user()
    CustomList.objects.bulk_create(
        CustomList(owner=owner, title=f"List {n}") for n in range(MAX_LISTS_PER_USER)
    )
    with pytest.raises(TooManyLists):
        CustomList.objects.create_list(owner=owner, title="One too many")
    assert CustomList.objects.filter(owner=owner).count() == MAX_LISTS_PER_USER


def test_saving_a_stale_copy_keeps_the_item_count(four):
    custom_list = make_list()
    stale = CustomList.objects.get(pk=custom_list.pk)
    custom_list.add(four[0])
    stale.title = "Renamed"
    stale.save()
    fresh = CustomList.objects.get(pk=custom_list.pk)
    assert (fresh.title, fresh.item_count) == ("Renamed", 1)


def test_renumber_makes_positions_dense_again(four):
    custom_list = make_list(anime=four)
    CustomListItem.objects.filter(custom_list=custom_list, anime__title="A").update(position=10)
    CustomListItem.objects.filter(custom_list=custom_list, anime__title="C").update(position=7)
    custom_list.renumber()
    check_deferred_constraints()
    assert titles(custom_list) == ["B", "D", "C", "A"]
    assert positions(custom_list) == [1, 2, 3, 4]


def test_visible_to_shows_public_lists_and_ones_own():
    owner, other = make_user(), make_user()
    public = make_list(owner, title="Open")
    private = make_list(owner, title="Secret", is_public=False)
    assert set(CustomList.objects.visible_to(owner)) == {public, private}
    assert list(CustomList.objects.visible_to(other)) == [public]
    from django.contrib.auth.models import AnonymousUser

    assert list(CustomList.objects.visible_to(AnonymousUser())) == [public]


# Anime pages: what they show of public lists


def page_version(anime: Anime) -> int:
    return Anime.objects.values_list("page_version", flat=True).get(pk=anime.pk)


def test_adding_to_a_public_list_changes_the_anime_page(four):
    custom_list = make_list()
    before = page_version(four[0])
    custom_list.add(four[0])
    assert page_version(four[0]) == before + 1


def test_adding_to_a_private_list_leaves_the_anime_page_alone(four):
    custom_list = make_list(is_public=False)
    before = page_version(four[0])
    custom_list.add(four[0])
    assert page_version(four[0]) == before


def test_removing_from_a_public_list_changes_the_anime_page(four):
    custom_list = make_list(anime=four[:1])
    before = page_version(four[0])
    custom_list.remove(custom_list.items.get().pk)
    assert page_version(four[0]) == before + 1


def test_renaming_a_public_list_changes_its_anime_pages(four):
    custom_list = make_list(anime=four[:2])
    before = [page_version(anime) for anime in four]
    custom_list = CustomList.objects.get(pk=custom_list.pk)
    custom_list.title = "Renamed"
    custom_list.save()
    assert [page_version(anime) for anime in four] == [
        before[0] + 1,
        before[1] + 1,
        before[2],
        before[3],
    ]


def test_making_a_list_private_changes_its_anime_pages(four):
    custom_list = make_list(anime=four[:1])
    before = page_version(four[0])
    custom_list = CustomList.objects.get(pk=custom_list.pk)
    custom_list.is_public = False
    custom_list.save()
    assert page_version(four[0]) == before + 1


def test_a_new_description_or_order_leaves_anime_pages_alone(four):
    custom_list = make_list(anime=four[:2])
    before = page_version(four[0])
    custom_list = CustomList.objects.get(pk=custom_list.pk)
    custom_list.description = "Shown on the list page only"
    custom_list.save()
    custom_list.move(custom_list.items.get(anime=four[0]).pk, by=1)
    custom_list.set_note(custom_list.items.get(anime=four[0]).pk, "Notes either")
    assert page_version(four[0]) == before


def test_deleting_a_public_list_changes_its_anime_pages(four):
    custom_list = make_list(anime=four[:1])
    before = page_version(four[0])
    CustomList.objects.get(pk=custom_list.pk).delete()
    assert page_version(four[0]) == before + 1


# Concurrent edits


def run_at_once(*jobs) -> None:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_keep_positions_and_count_exact():
    anime = [make_anime() for _ in range(6)]
    custom_list = make_list()
    run_at_once(
        *[lambda each=each: CustomList.objects.get(pk=custom_list.pk).add(each) for each in anime]
    )
    assert positions(custom_list) == [1, 2, 3, 4, 5, 6]
    assert CustomList.objects.get(pk=custom_list.pk).item_count == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_and_removals_keep_positions_dense(four):
    custom_list = make_list(anime=four)
    items = {item.anime.title: item.pk for item in custom_list.items.select_related("anime")}

    def fresh() -> CustomList:
        return CustomList.objects.get(pk=custom_list.pk)

    run_at_once(
        lambda: fresh().move(items["D"], to=1),
        lambda: fresh().remove(items["B"]),
        lambda: fresh().move(items["A"], by=1),
        lambda: fresh().remove(items["C"]),
    )
    assert positions(custom_list) == [1, 2]
    assert CustomList.objects.get(pk=custom_list.pk).item_count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_cannot_pass_the_limit(monkeypatch):
    monkeypatch.setattr(customlists_models, "MAX_LISTS_PER_USER", 2)
    owner = make_user()
    make_list(owner)
    outcomes: list[str] = []

    def create() -> None:
        try:
            CustomList.objects.create_list(owner=owner, title="Race")
            outcomes.append("created")
        except TooManyLists:
            outcomes.append("refused")

    run_at_once(create, create)
    assert sorted(outcomes) == ["created", "refused"]
    assert CustomList.objects.filter(owner=owner).count() == 2


def test_a_change_to_a_list_deleted_meanwhile_is_refused(four):
    custom_list = make_list(anime=four[:2])
    stale = CustomList.objects.get(pk=custom_list.pk)
    CustomList.objects.filter(pk=custom_list.pk).delete()
    with pytest.raises(ListGone):
        stale.add(four[2])
    with pytest.raises(ListGone):
        stale.move(1, to=2)


def test_deleting_an_anime_closes_its_gap_in_every_list(four):
    first, second = make_list(anime=four), make_list(anime=reversed(four))
    Anime.objects.get(pk=four[1].pk).delete()
    check_deferred_constraints()
    assert titles(first) == ["A", "C", "D"] and positions(first) == [1, 2, 3]
    assert titles(second) == ["D", "C", "A"] and positions(second) == [1, 2, 3]
    assert CustomList.objects.get(pk=first.pk).item_count == 3
