"""The "Related manga" inline that the manga app adds to the anime's admin page (catalog's
admin, which imports no other app)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Anime
from manga.models import AnimeMangaRelation, Manga, MangaRelation
from tests.factories import make_anime
from tests.test_admin import empty_inlines

pytestmark = pytest.mark.django_db


def change_url(anime: Anime) -> str:
    return reverse("admin:catalog_anime_change", args=[anime.pk])


def test_the_anime_form_shows_its_related_manga(admin_client):
    anime = make_anime(title="Fullmetal Alchemist: Brotherhood")
    manga = Manga.objects.create(title="Fullmetal Alchemist")
    AnimeMangaRelation.objects.create(anime=anime, manga=manga, relation=MangaRelation.SOURCE)
    html = admin_client.get(change_url(anime)).text
    assert 'id="manga_relations-group"' in html
    assert "Related manga" in html
    assert f'<option value="{manga.pk}" selected>Fullmetal Alchemist</option>' in html


def test_the_anime_form_keeps_the_other_apps_inlines(admin_client):
    html = admin_client.get(change_url(make_anime())).text
    for group in ["titles", "manga_relations", "character_roles", "staff_credits"]:
        assert f'id="{group}-group"' in html


def test_an_admin_relates_a_manga_from_the_anime_form(admin_client):
    anime = make_anime(title="Blame!", slug="blame", kind="movie", episodes=1)
    manga = Manga.objects.create(title="Blame!")
    version = anime.page_version
    form = {
        "title": anime.title,
        "slug": anime.slug,
        "kind": anime.kind,
        "episodes": anime.episodes,
        **empty_inlines(admin_client),
        "manga_relations-TOTAL_FORMS": "1",
        "manga_relations-0-manga": manga.pk,
        "manga_relations-0-relation": MangaRelation.SOURCE,
    }
    response = admin_client.post(change_url(anime), form)
    assert response.status_code == 302
    relation = AnimeMangaRelation.objects.get()
    assert (relation.anime, relation.manga, relation.relation) == (anime, manga, "source")
    anime.refresh_from_db()
    assert anime.page_version > version  # its cached page shows "Related manga" anew


def test_the_anime_form_reads_the_related_manga_with_their_names(admin_client):
    def queries_with(relations: int) -> int:
        anime = make_anime()
        for n in range(relations):
            manga = Manga.objects.create(title=f"Manga {anime.pk}-{n}")
            AnimeMangaRelation.objects.create(anime=anime, manga=manga)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(change_url(anime)).status_code == 200
        return len(queries)

    # Three more rows, three more queries: Django's autocomplete widget reads each row's
    # selected manga for its label. The rows' names ("anime → relation: manga") take none.
    assert queries_with(4) - queries_with(1) == 3
