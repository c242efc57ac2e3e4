"""Editing characters and staff in the admin: their own pages, the anime page's inlines, the
autocomplete fields, and deletes that mark the anime pages changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Anime
from people.models import CharacterRole, Language, StaffCredit, StaffRole
from tests.factories import make_anime, make_cast, make_character, make_person

pytestmark = pytest.mark.django_db

MODELS = ["character", "person", "characterrole", "staffcredit"]


@pytest.fixture
def anime():
    anime = make_anime(title="Cowboy Bebop", start_year=1998)
    make_cast(
        anime,
        make_character(name="Spike Spiegel"),
        voices=[(make_person(name="Kōichi Yamadera"), Language.JAPANESE)],
    )
    StaffCredit.objects.create(
        anime=anime, person=make_person(name="Yoko Kanno"), role=StaffRole.MUSIC
    )
    return anime


@pytest.mark.parametrize("model", MODELS)
def test_changelist_loads(admin_client, anime, model):
    assert admin_client.get(reverse(f"admin:people_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_add_form_loads(admin_client, model):
    assert admin_client.get(reverse(f"admin:people_{model}_add")).status_code == 200


def test_the_anime_form_has_character_and_staff_inlines(admin_client, anime):
    response = admin_client.get(reverse("admin:catalog_anime_change", args=[anime.pk]))
    assert response.status_code == 200
    assert 'id="character_roles-group"' in response.text
    assert 'id="staff_credits-group"' in response.text
    assert "Spike Spiegel" in response.text
    assert "Yoko Kanno" in response.text


def test_the_anime_form_keeps_the_catalog_inlines(admin_client, anime):
    response = admin_client.get(reverse("admin:catalog_anime_change", args=[anime.pk]))
    assert 'id="titles-group"' in response.text


@pytest.mark.parametrize(
    ("model", "field", "term", "found"),
    [
        ("characterrole", "character", "spike", "Spike Spiegel"),
        ("staffcredit", "person", "kanno", "Yoko Kanno"),
        ("voicecredit", "person", "yamadera", "Kōichi Yamadera"),
        ("voicecredit", "character_role", "spike", "Spike Spiegel in Cowboy Bebop (1998)"),
        ("characterrole", "anime", "bebop", "Cowboy Bebop (1998)"),
    ],
)
def test_autocomplete_answers(admin_client, anime, model, field, term, found):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "people", "model_name": model, "field_name": field},
    )
    assert [result["text"] for result in response.json()["results"]] == [found]


def test_a_character_page_shows_its_appearances(admin_client, anime):
    role = anime.character_roles.get()
    response = admin_client.get(reverse("admin:people_character_change", args=[role.character_id]))
    assert "Cowboy Bebop (1998)" in response.text


def test_a_role_page_edits_its_voice_actors(admin_client, anime):
    role = anime.character_roles.get()
    response = admin_client.get(reverse("admin:people_characterrole_change", args=[role.pk]))
    assert 'id="voice_credits-group"' in response.text
    assert "Kōichi Yamadera" in response.text


def test_deleting_selected_roles_marks_the_anime_page_changed(admin_client, anime):
    before = Anime.objects.get(pk=anime.pk).page_version
    role = anime.character_roles.get()
    response = admin_client.post(
        reverse("admin:people_characterrole_changelist"),
        {"action": "delete_selected", "_selected_action": [role.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CharacterRole.objects.exists()
    assert Anime.objects.get(pk=anime.pk).page_version > before


def test_adding_a_character_from_the_anime_form_marks_its_page_changed(admin_client, anime):
    """The inline saves through the model, so the page is marked as on any other save."""
    url = reverse("admin:catalog_anime_change", args=[anime.pk])
    data = {"title": anime.title, "slug": anime.slug, "start_year": anime.start_year}
    for inline in admin_client.get(url).context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        data[f"{formset.prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for form in formset.initial_forms:
            data.update(
                {
                    form.add_prefix(name): getattr(value, "pk", value)
                    for name, value in form.initial.items()
                }
                | {form.add_prefix("id"): form.instance.pk}
            )
    faye = make_character(name="Faye Valentine")
    n = data["character_roles-TOTAL_FORMS"]
    data["character_roles-TOTAL_FORMS"] = n + 1
    data.update(
        {
            f"character_roles-{n}-character": faye.pk,
            f"character_roles-{n}-role": "main",
            f"character_roles-{n}-order": 2,
        }
    )
    before = Anime.objects.get(pk=anime.pk).page_version
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert anime.character_roles.filter(character=faye).exists()
    assert anime.character_roles.count() == 2
    assert Anime.objects.get(pk=anime.pk).page_version > before
