"""Characters, people and their credits: the rules the database keeps, and the pages every
change marks changed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from catalog.models import Anime
from people.models import (
    CastRole,
    Character,
    CharacterRole,
    Language,
    PeopleVersion,
    Person,
    StaffCredit,
    StaffRole,
    VoiceCredit,
)
from tests.factories import make_anime, make_cast, make_character, make_person

pytestmark = pytest.mark.django_db


def page_version(anime: Anime) -> int:
    return Anime.objects.values_list("page_version", flat=True).get(pk=anime.pk)


def people_version() -> int:
    return PeopleVersion.objects.values_list("version", flat=True).first() or 0


# Slugs and names


def test_a_character_gets_a_slug_from_its_name():
    assert make_character(name="Spike Spiegel").slug == "spike-spiegel"


def test_two_characters_of_the_same_name_get_different_slugs():
    assert make_character(name="L").slug == "l"
    assert make_character(name="L").slug == "l-2"


def test_a_person_slug_drops_the_accents():
    assert make_person(name="Shinichirō Watanabe").slug == "shinichiro-watanabe"


def test_a_name_in_another_script_still_gets_a_slug():
    assert make_person(name="菅野よう子").slug == "person"


def test_alternative_names_are_a_list():
    character = make_character(
        name="Edward", alt_names=["Ed", "Edward Wong Hau Pepelu Tivrusky IV"]
    )
    character.refresh_from_db()
    assert character.alt_names == ["Ed", "Edward Wong Hau Pepelu Tivrusky IV"]


@pytest.mark.parametrize("model", [Character, Person])
def test_a_name_cannot_be_empty(model):
    with pytest.raises(IntegrityError):
        model.objects.create(name="", slug="nameless")


# Constraints on credits


def test_a_character_is_in_an_anime_cast_once():
    anime, character = make_anime(), make_character()
    make_cast(anime, character)
    with pytest.raises(IntegrityError):
        make_cast(anime, character, role=CastRole.SUPPORTING)


def test_a_character_can_be_in_several_anime():
    character = make_character()
    make_cast(make_anime(), character)
    make_cast(make_anime(), character)
    assert character.roles.count() == 2


def test_an_unknown_cast_role_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        make_cast(make_anime(), role="cameo")


def test_a_person_can_hold_several_credits_on_one_anime():
    anime, person = make_anime(), make_person()
    StaffCredit.objects.create(anime=anime, person=person, role=StaffRole.DIRECTOR)
    StaffCredit.objects.create(anime=anime, person=person, role=StaffRole.STORYBOARD)
    assert anime.staff_credits.count() == 2


def test_a_staff_credit_is_not_given_twice():
    anime, person = make_anime(), make_person()
    StaffCredit.objects.create(anime=anime, person=person, role=StaffRole.MUSIC)
    with pytest.raises(IntegrityError):
        StaffCredit.objects.create(anime=anime, person=person, role=StaffRole.MUSIC)


def test_an_unknown_staff_role_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        StaffCredit.objects.create(anime=make_anime(), person=make_person(), role="caterer")


def test_a_character_has_a_voice_per_language():
    person = make_person()
    role = make_cast(make_anime(), voices=[(person, Language.JAPANESE), (person, Language.ENGLISH)])
    assert role.voice_credits.count() == 2
    with pytest.raises(IntegrityError):
        VoiceCredit.objects.create(character_role=role, person=person, language=Language.ENGLISH)


def test_an_unknown_language_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        make_cast(make_anime(), voices=[(make_person(), "klingon")])


def test_deleting_a_character_deletes_its_roles_and_voices():
    role = make_cast(make_anime(), voices=[(make_person(), Language.JAPANESE)])
    role.character.delete()
    assert not CharacterRole.objects.exists()
    assert not VoiceCredit.objects.exists()
    assert Person.objects.exists()


# Every change marks the pages that show it changed


def test_adding_a_character_to_an_anime_marks_its_page_changed():
    anime = make_anime()
    before = page_version(anime)
    make_cast(anime)
    assert page_version(anime) > before


def test_renaming_a_character_marks_the_page_of_every_anime_it_is_in():
    character = make_character(name="Spike")
    first, second = make_anime(), make_anime()
    make_cast(first, character)
    make_cast(second, character)
    before = page_version(first), page_version(second)
    character.name = "Spike Spiegel"
    character.save()
    assert page_version(first) > before[0]
    assert page_version(second) > before[1]


def test_an_anime_without_the_character_is_left_alone():
    character, other = make_character(), make_anime()
    make_cast(make_anime(), character)
    before = page_version(other)
    character.save()
    assert page_version(other) == before


def test_deleting_a_character_marks_its_anime_pages_changed():
    anime = make_anime()
    role = make_cast(anime)
    before = page_version(anime)
    role.character.delete()
    assert page_version(anime) > before


def test_moving_a_role_to_another_anime_marks_both_pages_changed():
    old, new = make_anime(), make_anime()
    role = make_cast(old)
    before = page_version(old), page_version(new)
    role.anime = new
    role.save()
    assert page_version(old) > before[0]
    assert page_version(new) > before[1]


def test_renaming_a_voice_actor_marks_the_anime_page_changed():
    anime, person = make_anime(), make_person()
    make_cast(anime, voices=[(person, Language.JAPANESE)])
    before = page_version(anime)
    person.name = "Kōichi Yamadera"
    person.save()
    assert page_version(anime) > before


def test_deleting_a_staff_member_marks_the_anime_page_changed():
    anime, person = make_anime(), make_person()
    StaffCredit.objects.create(anime=anime, person=person, role=StaffRole.DIRECTOR)
    before = page_version(anime)
    person.delete()
    assert page_version(anime) > before


def test_a_voice_credit_marks_the_anime_page_changed():
    anime = make_anime()
    role = make_cast(anime)
    before = page_version(anime)
    credit = VoiceCredit.objects.create(
        character_role=role, person=make_person(), language=Language.ENGLISH
    )
    assert page_version(anime) > before
    before = page_version(anime)
    credit.delete()
    assert page_version(anime) > before


def test_a_bulk_delete_marks_the_pages_changed():
    first, second = make_anime(), make_anime()
    make_cast(first)
    make_cast(second)
    before = page_version(first), page_version(second)
    CharacterRole.objects.all().delete()
    assert page_version(first) > before[0]
    assert page_version(second) > before[1]


@pytest.mark.parametrize(
    "change",
    [
        lambda: make_character(),
        lambda: make_person(),
        lambda: make_cast(make_anime()),
        lambda: StaffCredit.objects.create(
            anime=make_anime(), person=make_person(), role=StaffRole.MUSIC
        ),
    ],
)
def test_every_change_moves_the_people_version(change):
    before = people_version()
    change()
    assert people_version() > before


# The demo's characters and staff


def test_the_demo_people_load_onto_the_demo_anime():
    bebop = make_anime(title="Cowboy Bebop", start_year=1998)
    call_command("load_demo_people", stdout=StringIO())
    spike = bebop.character_roles.get(character__name="Spike Spiegel")
    assert spike.role == CastRole.MAIN
    assert {v.person.name for v in spike.voice_credits.all()} == {"Kōichi Yamadera", "Steven Blum"}
    assert bebop.staff_credits.filter(role=StaffRole.DIRECTOR, person__name="Shinichirō Watanabe")


def test_loading_the_demo_people_twice_adds_nothing():
    make_anime(title="Cowboy Bebop", start_year=1998)
    make_anime(title="Samurai Champloo", start_year=2004)
    call_command("load_demo_people", stdout=StringIO())
    counts = [model.objects.count() for model in (Character, Person, CharacterRole, VoiceCredit)]
    out = StringIO()
    call_command("load_demo_people", stdout=out)
    assert [m.objects.count() for m in (Character, Person, CharacterRole, VoiceCredit)] == counts
    assert "nothing new" in out.getvalue()


def test_one_voice_actor_for_two_demo_characters_is_one_person():
    make_anime(title="Cowboy Bebop", start_year=1998)
    make_anime(title="Samurai Champloo", start_year=2004)
    call_command("load_demo_people", stdout=StringIO())
    steve = Person.objects.get(name="Steven Blum")
    assert {v.character_role.character.name for v in steve.voice_credits.all()} == {
        "Spike Spiegel",
        "Mugen",
    }
