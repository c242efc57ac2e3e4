"""The filter form's tags are read once per catalog version, and a change to them shows at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Tag, TagCategory
from tests.factories import make_anime, make_tag

pytestmark = pytest.mark.django_db


def tag_queries(client, path: str = "/anime/") -> int:
    # A fresh page each time: the page cache would answer without building it.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('FROM "catalog_tag"' in query["sql"] for query in queries.captured_queries)


def test_the_filter_form_reads_its_tags_once_per_catalog_version(client):
    make_anime(tags=[make_tag(name="Action", category=TagCategory.GENRE)])
    assert tag_queries(client) == 1
    assert tag_queries(client) == 0


def test_a_renamed_tag_shows_on_the_next_page_built(client):
    action = make_tag(name="Action", category=TagCategory.GENRE)
    make_anime(tags=[action])
    tag_queries(client)
    action.name = "Action & adventure"
    action.save()
    response = client.get("/anime/", {"kind": "tv"})
    assert "Action &amp; adventure" in response.content.decode()


def test_a_new_genre_is_offered_on_the_next_page_built(client):
    make_anime(tags=[make_tag(name="Action", category=TagCategory.GENRE)])
    tag_queries(client)
    make_tag(name="Mecha", category=TagCategory.GENRE)
    response = client.get("/anime/", {"kind": "tv"})
    assert 'value="mecha"' in response.content.decode()


def test_a_tag_deleted_in_bulk_is_no_longer_offered(client):
    mecha = make_tag(name="Mecha", category=TagCategory.GENRE)
    make_anime(tags=[mecha, make_tag(name="Action", category=TagCategory.GENRE)])
    tag_queries(client)
    Tag.objects.filter(pk=mecha.pk).delete()
    response = client.get("/anime/", {"kind": "tv"})
    assert 'value="mecha"' not in response.content.decode()
