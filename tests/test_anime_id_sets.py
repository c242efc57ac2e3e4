"""The id sets that count kind, status and tag filters (AnimeIdSet) agree with the catalog
after every kind of write, whichever way it is made: the database's triggers keep them."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.models.signals import m2m_changed

from catalog.models import AiringStatus, Anime, AnimeIdSet, Kind, Tag
from tests.factories import make_anime, make_tag

pytestmark = pytest.mark.django_db


def stored_sets() -> dict[str, list[int]]:
    sets: dict[str, list[int]] = {}
    for idset in AnimeIdSet.objects.order_by("key", "bucket"):
        sets.setdefault(idset.key, []).extend(idset.anime_ids)
    return {key: ids for key, ids in sets.items() if ids}


def catalog_sets() -> dict[str, list[int]]:
    """The sets as the catalog's rows say they should be."""
    sets: dict[str, set[int]] = {}
    for anime in Anime.objects.all():
        sets.setdefault(f"kind:{anime.kind or ''}", set()).add(anime.pk)
        sets.setdefault(f"status:{anime.airing_status or ''}", set()).add(anime.pk)
    for link in Anime.tags.through.objects.all():
        sets.setdefault(f"tag:{link.tag_id}", set()).add(link.anime_id)
    return {key: sorted(ids) for key, ids in sets.items()}


@pytest.fixture
def tags() -> list[Tag]:
    return [make_tag() for _ in range(3)]


@pytest.fixture
def catalog(tags) -> list[Anime]:
    first, second, third = tags
    return [
        make_anime(kind=Kind.TV, airing_status=AiringStatus.FINISHED, tags=[first, second]),
        make_anime(kind=Kind.TV, airing_status=AiringStatus.AIRING, tags=[first]),
        make_anime(kind=Kind.MOVIE, airing_status=AiringStatus.FINISHED, tags=[second, third]),
        make_anime(kind=None, airing_status=None),
    ]


def test_new_anime_and_their_tags_are_in_the_sets(catalog):
    assert stored_sets() == catalog_sets()


def test_a_changed_kind_or_status_moves_the_anime(catalog):
    anime = catalog[0]
    anime.kind, anime.airing_status = Kind.WEB, AiringStatus.UPCOMING
    anime.save()
    assert stored_sets() == catalog_sets()
    assert anime.pk not in stored_sets()["kind:tv"]


def test_changed_tags_move_the_anime(catalog, tags):
    catalog[0].tags.set([tags[2]])
    catalog[1].tags.clear()
    assert stored_sets() == catalog_sets()


def test_a_deleted_anime_leaves_the_sets(catalog):
    catalog[2].delete()
    assert stored_sets() == catalog_sets()


def test_a_deleted_tag_leaves_no_set(catalog, tags):
    tags[1].delete()
    assert f"tag:{tags[1].pk}" not in stored_sets()
    assert stored_sets() == catalog_sets()


def test_bulk_writes_keep_the_sets(catalog, tags):
    Anime.objects.bulk_create(
        [Anime(title=f"Bulk {n}", slug=f"bulk-{n}", kind=Kind.OVA) for n in range(5)]
    )
    Anime.objects.filter(kind=Kind.OVA).update(kind=Kind.SPECIAL)
    Anime.tags.through.objects.filter(tag=tags[0]).update(tag=tags[2])
    assert stored_sets() == catalog_sets()


def test_plain_sql_writes_keep_the_sets(catalog, tags):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM catalog_anime_tags WHERE tag_id = %s AND anime_id = %s",
            [tags[0].pk, catalog[0].pk],
        )
        cursor.execute("UPDATE catalog_anime SET airing_status = 'airing' WHERE kind = 'movie'")
    assert stored_sets() == catalog_sets()


def test_an_update_that_moves_no_anime_rewrites_no_set(catalog):
    # Every update of a row gives its new version a new place (ctid).
    places = "SELECT key, bucket, ctid::text FROM catalog_animeidset ORDER BY key, bucket"
    with connection.cursor() as cursor:
        cursor.execute(places)
        before = cursor.fetchall()
        Anime.objects.update(rank=1, popularity=1)
        Anime.objects.filter(kind=Kind.TV).update(kind=Kind.TV)
        cursor.execute(places)
        assert cursor.fetchall() == before


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": ["tv"]}, 2),
        ({"kind": ["tv", "movie"]}, 3),
        ({"status": ["finished"]}, 2),
        ({"kind": ["tv"], "status": ["finished", "airing"]}, 2),
        ({"tag": [0]}, 2),
        ({"tag": [0, 1]}, 1),
        ({"tag": [1], "notag": [2]}, 1),
        ({"kind": ["tv"], "notag": [1, 2]}, 1),
        ({"kind": ["ova"]}, 0),
        ({"kind": ["tv"], "tag": [2]}, 0),
    ],
)
def test_counts_agree_with_the_catalog(catalog, tags, filters, expected):
    filters = {
        name: [tags[n] for n in value] if name in ("tag", "notag") else value
        for name, value in filters.items()
    }
    assert Anime.objects.count_cheaply(**filters) == expected
    assert Anime.objects.filtered(**filters).count() == expected


def test_a_count_is_one_query(catalog, tags, django_assert_num_queries):
    with django_assert_num_queries(1):
        AnimeIdSet.objects.count_anime(
            kind=["tv", "movie"], status=["finished"], tag=tags[:2], notag=tags[2:]
        )


def test_sets_span_buckets_of_ids(tags):
    far = [make_anime(id=n, kind=Kind.TV, tags=[tags[0]]) for n in (5, 4096, 70_000)]
    assert stored_sets() == catalog_sets()
    assert AnimeIdSet.objects.filter(key="kind:tv").count() == 3
    assert Anime.objects.count_cheaply(kind=["tv"], tag=[tags[0]]) == len(far)
    far[1].delete()
    assert Anime.objects.count_cheaply(kind=["tv"], notag=[tags[1]]) == 2


def test_writes_keep_the_sets_whatever_the_session_s_search_path(catalog, tags):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path = pg_catalog")
        cursor.execute(
            "INSERT INTO public.catalog_anime_tags (anime_id, tag_id) VALUES (%s, %s)",
            [catalog[3].pk, tags[0].pk],
        )
        cursor.execute("SET LOCAL search_path = public")
    assert stored_sets() == catalog_sets()


@pytest.mark.django_db(transaction=True)
def test_two_editors_swapping_tags_take_turns_rather_than_deadlock():
    """One editor moves an anime from tag x to y while another moves a second from y to x: each
    takes one set, then wants the other's. Writers of the sets take turns instead."""
    x, y = make_tag(), make_tag()
    first, second = make_anime(tags=[x]), make_anime(tags=[y])

    def linger_after_removing(sender, action, **kwargs):
        if action == "post_remove" and threading.current_thread().name.startswith("editor"):
            time.sleep(0.3)  # so both have removed a tag before either adds one

    errors = []

    def edit(anime_id: int, tag: Tag) -> None:
        try:
            with transaction.atomic():
                Anime.objects.get(pk=anime_id).tags.set([tag])
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connections.close_all()

    editors = [
        threading.Thread(target=edit, args=(first.pk, y), name="editor-1"),
        threading.Thread(target=edit, args=(second.pk, x), name="editor-2"),
    ]
    m2m_changed.connect(linger_after_removing, sender=Anime.tags.through)
    try:
        for editor in editors:
            editor.start()
        for editor in editors:
            editor.join()
    finally:
        m2m_changed.disconnect(linger_after_removing, sender=Anime.tags.through)
    assert errors == []
    assert stored_sets() == catalog_sets()
