from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Anime, AnimeRelation, AnimeTitle
from tests.factories import make_anime, make_studio, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def anime():
    anime = make_anime(
        title="BLAME!", studios=[make_studio(name="Group TAC")], tags=[make_tag(name="Mecha")]
    )
    AnimeTitle.objects.create(anime=anime, title="ブラム!", kind="japanese")
    AnimeRelation.objects.create(from_anime=anime, to_anime=make_anime(title="BLAME! Movie"))
    return anime


@pytest.mark.parametrize(
    "model", ["anime", "studio", "tag", "animerelation", "animetitle", "animesource"]
)
def test_changelist_loads(admin_client, anime, model):
    response = admin_client.get(reverse(f"admin:catalog_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model", ["anime", "studio", "tag", "animerelation", "animetitle", "animesource"]
)
def test_add_form_loads(admin_client, model):
    assert admin_client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200


def test_anime_change_form_shows_inlines(admin_client, anime):
    response = admin_client.get(reverse("admin:catalog_anime_change", args=[anime.pk]))
    assert response.status_code == 200
    assert "ブラム!" in response.text
    assert "BLAME! Movie" in response.text


def test_anime_search_finds_alternative_titles(admin_client, anime):
    response = admin_client.get(reverse("admin:catalog_anime_changelist"), {"q": "ブラム"})
    assert "BLAME!" in response.text


def test_studio_autocomplete_answers(admin_client, anime):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "group", "app_label": "catalog", "model_name": "anime", "field_name": "studios"},
    )
    assert response.json()["results"][0]["text"] == "Group TAC"


def test_admin_requires_staff(client):
    response = client.get(reverse("admin:catalog_anime_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def empty_inlines(client) -> dict[str, str]:
    """The inline formsets of the anime form, all empty: catalog's and those other apps add."""
    formsets = client.get(reverse("admin:catalog_anime_add")).context["inline_admin_formsets"]
    return {
        f"{inline.formset.prefix}-{field}": "0"
        for inline in formsets
        for field in ("TOTAL_FORMS", "INITIAL_FORMS")
    }


def test_anime_can_be_added_through_the_admin(admin_client):
    form = {"title": "Haibane Renmei", "slug": "haibane-renmei", "kind": "tv", "episodes": "13"}
    response = admin_client.post(
        reverse("admin:catalog_anime_add"), {**form, **empty_inlines(admin_client)}
    )
    assert response.status_code == 302
    assert Anime.objects.get(slug="haibane-renmei").episodes == 13


def test_admin_rejects_an_end_year_before_the_start(admin_client):
    form = {"title": "Backwards", "slug": "backwards", "start_year": "2010", "end_year": "2009"}
    response = admin_client.post(
        reverse("admin:catalog_anime_add"), {**form, **empty_inlines(admin_client)}
    )
    assert response.status_code == 200
    assert "The end year cannot be before the start year." in response.text
    assert not Anime.objects.exists()
