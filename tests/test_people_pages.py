"""Character and people pages, an anime's "See all characters" and "See all staff" pages, and
the Characters and Staff blocks of the anime page."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from people.models import CastRole, Language, StaffCredit, StaffRole
from tests.factories import make_anime, make_cast, make_character, make_person, make_user

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 90), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("spike.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def bebop():
    """Cowboy Bebop with two main characters, a supporting one, their voices and its staff."""
    anime = make_anime(title="Cowboy Bebop", start_year=1998)
    yamadera, blum = make_person(name="Kōichi Yamadera"), make_person(name="Steven Blum")
    spike = make_character(
        name="Spike Spiegel",
        alt_names=["スパイク・スピーゲル"],
        description="A bounty hunter aboard the Bebop.",
    )
    make_cast(anime, spike, voices=[(yamadera, Language.JAPANESE), (blum, Language.ENGLISH)])
    make_cast(
        anime,
        make_character(name="Vicious"),
        role=CastRole.SUPPORTING,
        voices=[(make_person(name="Norio Wakamoto"), Language.JAPANESE)],
    )
    make_cast(
        anime,
        make_character(name="Jet Black"),
        order=1,
        voices=[(make_person(name="Unshō Ishizuka"), Language.JAPANESE)],
    )
    for name, role in [
        ("Shinichirō Watanabe", StaffRole.DIRECTOR),
        ("Yoko Kanno", StaffRole.MUSIC),
        ("Hajime Yatate", StaffRole.ORIGINAL_CREATOR),
    ]:
        StaffCredit.objects.create(anime=anime, person=make_person(name=name), role=role)
    return anime


def add_cast(anime, characters: int) -> None:
    for n in range(characters):
        make_cast(
            anime,
            make_character(name=f"Extra {n}", image=png() if n % 2 else ""),
            role=CastRole.SUPPORTING,
            order=10 + n,
            voices=[(make_person(), Language.JAPANESE), (make_person(), Language.ENGLISH)],
        )
        StaffCredit.objects.create(anime=anime, person=make_person(), role=StaffRole.STORYBOARD)


# The anime page's blocks


def test_the_anime_page_lists_main_characters_first_with_their_japanese_voice(client, bebop):
    html = client.get(bebop.get_absolute_url()).text
    block = text_of(html[html.index('id="characters"') : html.index('id="staff"')])
    assert block.index("Spike Spiegel") < block.index("Jet Black") < block.index("Vicious")
    assert "Kōichi Yamadera Japanese" in block
    assert "Steven Blum" not in block
    assert "See all 3 characters" in block


def test_the_anime_page_shows_a_few_characters_and_links_to_all(client, bebop):
    add_cast(bebop, 10)
    html = client.get(bebop.get_absolute_url()).text
    block = html[html.index('id="characters"') : html.index('id="staff"')]
    assert block.count('class="cast-card"') == 6
    assert 'href="/anime/cowboy-bebop/characters/"' in block
    assert "See all 13 characters" in text_of(block)


def test_the_anime_page_lists_the_key_staff_first(client, bebop):
    html = client.get(bebop.get_absolute_url()).text
    block = text_of(html[html.index('id="staff"') :])
    assert "Original creator Hajime Yatate" in block
    assert block.index("Hajime Yatate") < block.index("Shinichirō Watanabe") < block.index("Kanno")
    assert "See all staff" in block


def test_an_anime_without_characters_or_staff_has_no_such_blocks(client):
    html = client.get(make_anime().get_absolute_url()).text
    assert 'id="characters"' not in html
    assert 'id="staff"' not in html


def test_the_anime_page_query_count_does_not_grow_with_the_cast(
    client, bebop, django_assert_num_queries
):
    add_cast(bebop, 3)
    # The anime's page version (page cache), the anime, its studios, tags, titles and
    # relations, the User Stats figures, the reviews with their count, the custom lists with
    # theirs, the related manga; then the Characters block (Japanese voices and the total in
    # the same query) and the Staff block.
    # (+1: the recommendations block, userlists.)
    with django_assert_num_queries(13):
        client.get(bebop.get_absolute_url())
    add_cast(bebop, 12)
    with django_assert_num_queries(13):
        client.get(bebop.get_absolute_url())


# See all characters, see all staff


def test_see_all_characters_lists_main_then_supporting_with_every_voice(client, bebop):
    response = client.get("/anime/cowboy-bebop/characters/")
    text = text_of(response.text)
    assert response.status_code == 200
    assert text.index("Main characters") < text.index("Spike Spiegel") < text.index("Jet Black")
    assert text.index("Jet Black") < text.index("Supporting characters") < text.index("Vicious")
    assert "Kōichi Yamadera Japanese" in text
    assert "Steven Blum English" in text
    assert 'href="/people/steven-blum/"' in response.text


def test_see_all_staff_groups_the_credits_by_role(client, bebop):
    text = text_of(client.get("/anime/cowboy-bebop/staff/").text)
    assert "Director Shinichirō Watanabe" in text
    assert "Music Yoko Kanno" in text


@pytest.mark.parametrize("page", ["characters", "staff"])
def test_see_all_pages_of_an_unknown_anime_are_404(client, page):
    assert client.get(f"/anime/no-such-anime/{page}/").status_code == 404


@pytest.mark.parametrize("page", ["characters", "staff"])
def test_see_all_pages_say_when_there_is_nobody_yet(client, page):
    anime = make_anime(title="Blame!")
    assert f"No {page} of Blame! yet" in client.get(f"/anime/{anime.slug}/{page}/").text


@pytest.mark.parametrize("page", ["characters", "staff"])
def test_see_all_pages_run_a_fixed_number_of_queries(
    client, bebop, page, django_assert_num_queries
):
    add_cast(bebop, 3)
    # The page version, the anime, the count of its characters (or credits) for the pages,
    # the page of them with their people, and for characters, their voice actors.
    queries = 5 if page == "characters" else 4
    with django_assert_num_queries(queries):
        client.get(f"/anime/cowboy-bebop/{page}/")
    add_cast(bebop, 9)
    with django_assert_num_queries(queries):
        client.get(f"/anime/cowboy-bebop/{page}/")


def test_see_all_pages_refuse_posts(client, bebop):
    assert client.post("/anime/cowboy-bebop/characters/").status_code == 405


# Character pages


def test_a_character_page_shows_description_anime_and_voices(client, bebop):
    response = client.get("/characters/spike-spiegel/")
    text = text_of(response.text)
    assert response.status_code == 200
    assert "Also known as: スパイク・スピーゲル" in text
    assert "A bounty hunter aboard the Bebop." in text
    assert "Cowboy Bebop" in text and "Main" in text
    assert "Kōichi Yamadera Japanese" in text and "Steven Blum English" in text


def test_a_character_page_lists_every_anime_newest_first(client, bebop):
    movie = make_anime(title="Cowboy Bebop: Tengoku no Tobira", start_year=2001)
    make_cast(movie, bebop.character_roles.get(character__name="Spike Spiegel").character)
    text = text_of(client.get("/characters/spike-spiegel/").text)
    assert text.index("Tengoku no Tobira") < text.index("Cowboy Bebop TV")


def test_an_unknown_character_is_404(client):
    assert client.get("/characters/nobody/").status_code == 404


def test_a_character_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    character = make_character(name="Edward Elric")
    for _ in range(3):
        make_cast(make_anime(), character, voices=[(make_person(), Language.JAPANESE)])
    # The page version (with the catalog's), the character, its anime, their voice actors.
    with django_assert_num_queries(4):
        client.get(character.get_absolute_url())


def test_a_character_image_is_served_with_a_versioned_url(client):
    character = make_character(name="Faye Valentine", image=png())
    html = client.get(character.get_absolute_url()).text
    url = re.search(r'src="(/characters/faye-valentine/image/\?v=\d+)"', html).group(1)
    response = client.get(url)
    assert response.status_code == 200
    # Stored as covers are: cleaned WebP (see test_people_images).
    assert response.headers["Content-Type"] == "image/webp"
    assert b"".join(response.streaming_content).startswith(b"RIFF")
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_a_character_without_an_image_has_no_image_url(client):
    character = make_character(name="Ein")
    assert "/image/" not in client.get(character.get_absolute_url()).text
    assert client.get("/characters/ein/image/").status_code == 404


# People pages


def test_a_person_page_groups_staff_credits_and_lists_voice_roles(client, bebop):
    champloo = make_anime(title="Samurai Champloo", start_year=2004)
    watanabe = StaffCredit.objects.get(role=StaffRole.DIRECTOR).person
    StaffCredit.objects.create(anime=champloo, person=watanabe, role=StaffRole.DIRECTOR)
    StaffCredit.objects.create(anime=champloo, person=watanabe, role=StaffRole.STORYBOARD)
    text = text_of(client.get(watanabe.get_absolute_url()).text)
    assert text.index("Director") < text.index("Samurai Champloo") < text.index("Cowboy Bebop")
    assert text.index("Cowboy Bebop") < text.index("Storyboard")
    assert "Voice acting roles" not in text


def test_a_voice_actor_page_lists_the_characters_voiced(client, bebop):
    text = text_of(client.get("/people/steven-blum/").text)
    assert "Voice acting roles" in text
    assert "Spike Spiegel Main · English" in text
    assert "Anime staff" not in text


def test_an_unknown_person_is_404(client):
    assert client.get("/people/nobody/").status_code == 404


def test_a_person_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    person = make_person(name="Megumi Hayashibara")
    for _ in range(3):
        make_cast(make_anime(), voices=[(person, Language.JAPANESE)])
        StaffCredit.objects.create(anime=make_anime(), person=person, role=StaffRole.THEME_SONG)
    # The page version (with the catalog's), the person, the staff credits, the voice roles.
    with django_assert_num_queries(4):
        client.get(person.get_absolute_url())


# The page cache


def test_a_new_character_shows_on_the_cached_anime_page(client, bebop):
    client.get(bebop.get_absolute_url())
    client.get("/anime/cowboy-bebop/characters/")
    make_cast(bebop, make_character(name="Faye Valentine"))
    assert "Faye Valentine" in client.get(bebop.get_absolute_url()).text
    assert "Faye Valentine" in client.get("/anime/cowboy-bebop/characters/").text


def test_a_second_anonymous_visit_of_a_character_is_served_from_the_cache(
    client, bebop, django_assert_num_queries
):
    client.get("/characters/spike-spiegel/")
    with django_assert_num_queries(1):
        client.get("/characters/spike-spiegel/")


def test_a_new_role_shows_on_the_cached_character_and_person_pages(client, bebop):
    spike = bebop.character_roles.get(character__name="Spike Spiegel").character
    blum = make_person(name="Steve Blum")
    client.get(spike.get_absolute_url())
    client.get(blum.get_absolute_url())
    movie = make_anime(title="Tengoku no Tobira", start_year=2001)
    make_cast(movie, spike, voices=[(blum, Language.ENGLISH)])
    assert "Tengoku no Tobira" in client.get(spike.get_absolute_url()).text
    assert "Tengoku no Tobira" in client.get(blum.get_absolute_url()).text


def test_a_renamed_anime_shows_on_the_cached_character_page(client, bebop):
    client.get("/characters/spike-spiegel/")
    bebop.title = "Cowboy Bebop (TV)"
    bebop.save()
    assert "Cowboy Bebop (TV)" in client.get("/characters/spike-spiegel/").text


def test_logged_in_visitors_get_their_own_character_page(client, bebop):
    client.get("/characters/spike-spiegel/")
    client.force_login(make_user("faye"))
    assert "faye" in client.get("/characters/spike-spiegel/").text
