"""Manga: the model and its rules, its pages, the "Related manga" block on the anime page, the
admin, the page cache and the demo data."""

from __future__ import annotations

import html as markup
import io
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from catalog.models import Anime, AnimeRelation, AnimeTitle, RelationType
from manga.demo import DEMO_MANGA, DemoManga, load_demo_manga
from manga.models import (
    AnimeMangaRelation,
    Author,
    AuthorRole,
    Manga,
    MangaAuthor,
    MangaKind,
    MangaRelation,
    MangaTitle,
    PublishingStatus,
)
from tests.factories import make_anime, make_review, make_studio, make_superuser, make_tag

pytestmark = pytest.mark.django_db

LIST_URL = reverse("manga:manga-list")


def make_manga(**overrides) -> Manga:
    fields = {"title": "Fullmetal Alchemist", "volumes": 27, **overrides}
    return Manga.objects.create(**fields)


def relate(anime: Anime, manga: Manga, relation: str = MangaRelation.SOURCE):
    return AnimeMangaRelation.objects.create(anime=anime, manga=manga, relation=relation)


def text_of(html: str) -> str:
    return markup.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def violates(**fields) -> bool:
    try:
        with transaction.atomic():
            make_manga(**fields)
    except IntegrityError:
        return True
    return False


# The model


@pytest.mark.parametrize(
    "fields, summary",
    [
        ({"volumes": 12, "chapters": 98}, "Manga (12 vols x 98 chs)"),
        ({"volumes": 27, "chapters": None}, "Manga (27 vols)"),
        ({"volumes": None, "chapters": None}, "Manga (? vols)"),
        ({"volumes": None, "chapters": 1, "kind": MangaKind.ONE_SHOT}, "One-shot (1 ch)"),
        ({"volumes": 1, "chapters": 1_234}, "Manga (1 vol x 1,234 chs)"),
        ({"volumes": 10, "kind": MangaKind.LIGHT_NOVEL}, "Light novel (10 vols)"),
    ],
)
def test_kind_summary(fields, summary):
    assert Manga(title="X", **fields).kind_summary == summary


@pytest.mark.parametrize(
    "fields, years",
    [
        ({"start_year": 2001, "end_year": 2010, "status": "finished"}, "2001 - 2010"),
        ({"start_year": 1997, "status": "publishing"}, "1997 - ?"),
        ({"start_year": 1998, "status": "hiatus"}, "1998 - ?"),
        ({"start_year": 2011, "end_year": 2011}, "2011"),
        ({}, ""),
    ],
)
def test_years(fields, years):
    assert Manga(title="X", **fields).years == years


def test_slug_comes_from_the_title_and_tells_apart_two_kinds():
    assert make_manga(title="Sword Art Online").slug == "sword-art-online"
    novel = make_manga(title="Sword Art Online", kind=MangaKind.LIGHT_NOVEL)
    assert novel.slug == "sword-art-online-light-novel"


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "comic"},
        {"status": "cancelled"},
        {"volumes": 0},
        {"chapters": 0},
        {"start_year": 1066},
        {"start_year": 2010, "end_year": 2001},
        {"start_year": 1997, "end_year": 2003, "status": PublishingStatus.PUBLISHING},
        {"title": ""},
    ],
)
def test_the_database_refuses_impossible_manga(fields):
    assert violates(**fields)


def test_a_relation_is_unique_per_anime_manga_and_type():
    anime, manga = make_anime(), make_manga()
    relate(anime, manga, MangaRelation.SOURCE)
    relate(anime, manga, MangaRelation.ALTERNATIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        relate(anime, manga, MangaRelation.SOURCE)


def test_the_database_refuses_an_unknown_relation_type():
    with pytest.raises(IntegrityError), transaction.atomic():
        relate(make_anime(), make_manga(), "prequel")


def test_an_author_is_credited_once_per_manga():
    manga, author = make_manga(), Author.objects.create(name="Hiromu Arakawa")
    MangaAuthor.objects.create(manga=manga, author=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        MangaAuthor.objects.create(manga=manga, author=author, role=AuthorRole.ART)


def test_search_finds_alternative_titles_whatever_the_case_and_accents():
    manga = make_manga(title="Kaze no Tani no Nausicaä")
    MangaTitle.objects.create(manga=manga, title="Nausicaä of the Valley of the Wind")
    make_manga(title="Akira")
    assert list(Manga.objects.matching("NAUSICAA")) == [manga]
    assert list(Manga.objects.matching("valley of the")) == [manga]


# The manga page


@pytest.fixture
def fma():
    manga = make_manga(
        title="Fullmetal Alchemist",
        volumes=27,
        chapters=108,
        start_year=2001,
        end_year=2010,
        status=PublishingStatus.FINISHED,
        synopsis="Two brothers search for the Philosopher's Stone.",
    )
    MangaTitle.objects.create(manga=manga, title="鋼の錬金術師", kind="japanese")
    MangaAuthor.objects.create(manga=manga, author=Author.objects.create(name="Hiromu Arakawa"))
    manga.tags.set([make_tag(name="Military", category="theme")])
    return manga


def test_manga_page_shows_the_manga(client, fma):
    response = client.get(fma.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response.text)
    assert "Fullmetal Alchemist" in page
    assert "Alt title: 鋼の錬金術師" in page
    assert "Manga (27 vols x 108 chs)" in page
    assert "2001 - 2010" in page
    assert "Finished" in page
    assert "Two brothers search for the Philosopher's Stone." in page
    assert 'href="/manga/author/hiromu-arakawa/">Hiromu Arakawa</a>' in response.text
    assert 'href="/anime/tag/military/"' in response.text


def test_manga_page_names_each_authors_role(client):
    manga = make_manga(title="Death Note")
    for position, (name, role) in enumerate(
        [("Tsugumi Ohba", AuthorRole.STORY), ("Takeshi Obata", AuthorRole.ART)]
    ):
        author = Author.objects.create(name=name)
        MangaAuthor.objects.create(manga=manga, author=author, role=role, position=position)
    page = text_of(client.get(manga.get_absolute_url()).text)
    assert "Tsugumi Ohba (Story) , Takeshi Obata (Art)" in page


def test_unknown_manga_is_404(client):
    assert client.get("/manga/no-such-manga/").status_code == 404


def test_manga_page_refuses_post(client, fma):
    assert client.post(fma.get_absolute_url()).status_code == 405


def test_manga_page_lists_related_anime_by_relation(client, fma):
    relate(make_anime(title="Hagane no Renkinjutsushi", start_year=2003), fma)
    relate(make_anime(title="FMA Brotherhood", start_year=2009), fma)
    relate(make_anime(title="FMA Chibi", start_year=2009), fma, MangaRelation.PARENT_STORY)
    html = client.get(fma.get_absolute_url()).text
    section = html[html.index('<section id="related"') :]
    page = text_of(section)
    assert page.startswith("Related anime Adaptation Hagane no Renkinjutsushi (2003)")
    assert page.index("FMA Brotherhood (2009)") < page.index("Spin-off FMA Chibi (2009)")


def test_manga_page_shows_related_anime_covers_as_lazy_thumbnails(client, fma):
    anime = make_anime(title="FMA Brotherhood")
    relate(anime, fma)
    html = client.get(fma.get_absolute_url()).text
    srcset = escape(", ".join(f"{u} {w}w" for w, u in sorted(anime.cover_urls().items())))
    card = html[html.index(f'srcset="{srcset}"') :]
    assert card.startswith(f'srcset="{srcset}" sizes="56px" width="56" height="79" alt=""')


def test_manga_page_without_relations_has_no_related_section(client, fma):
    assert 'id="related"' not in client.get(fma.get_absolute_url()).text


def test_manga_page_runs_a_fixed_number_of_queries(client, fma, django_assert_num_queries):
    for n in range(3):
        MangaTitle.objects.create(manga=fma, title=f"Alias {n}")
        author = Author.objects.create(name=f"Assistant {n}")
        MangaAuthor.objects.create(manga=fma, author=author, role=AuthorRole.ART)
        relate(make_anime(), fma)
    # The catalog's version (for the page cache), the manga, then one query each for its
    # titles, tags, credits (authors joined in) and relations (anime joined in).
    with django_assert_num_queries(6):
        client.get(fma.get_absolute_url())


def test_cover_is_a_placeholder_png_with_a_validator(client, fma):
    response = client.get(fma.get_cover_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    again = client.get(fma.get_cover_url(), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_cover_of_an_unknown_manga_is_404(client):
    assert client.get("/manga/nothing/cover/").status_code == 404


def test_author_page_lists_their_manga(client, fma):
    author = Author.objects.get(name="Hiromu Arakawa")
    other = make_manga(title="Silver Spoon", start_year=2011)
    MangaAuthor.objects.create(manga=other, author=author)
    make_manga(title="Someone else's")
    page = text_of(client.get(author.get_absolute_url()).text)
    assert "Manga by Hiromu Arakawa" in page
    assert page.index("Fullmetal Alchemist") < page.index("Silver Spoon")
    assert "Someone else's" not in page


def test_author_page_runs_a_fixed_number_of_queries(client, fma, django_assert_num_queries):
    author = Author.objects.get(name="Hiromu Arakawa")
    for n in range(3):
        MangaAuthor.objects.create(manga=make_manga(title=f"Work {n}"), author=author)
    # The catalog's version (for the page cache), the author, their manga with authors' names.
    with django_assert_num_queries(3):
        client.get(author.get_absolute_url())


def test_unknown_author_is_404(client):
    assert client.get("/manga/author/nobody/").status_code == 404


# The manga list


def test_list_shows_manga_by_title_with_kind_years_and_authors(client, fma):
    make_manga(title="Akira", volumes=6, start_year=1982, end_year=1990)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    page = text_of(response.text)
    assert page.index("Akira") < page.index("Fullmetal Alchemist")
    assert "Manga (27 vols x 108 chs) 2001 - 2010 Hiromu Arakawa" in page
    assert "2 manga" in page


def test_list_searches_titles(client, fma):
    make_manga(title="Akira")
    page = text_of(client.get(LIST_URL, {"q": "鋼の"}).text)
    assert "Fullmetal Alchemist" in page
    assert "Akira" not in page


def test_list_says_when_nothing_matches(client, fma):
    page = text_of(client.get(LIST_URL, {"q": "zzzz"}).text)
    assert "No manga match “zzzz”" in page


def test_list_filters_by_kind_and_ignores_an_unknown_kind(client, fma):
    make_manga(title="Toradora!", kind=MangaKind.LIGHT_NOVEL)
    novels = text_of(client.get(LIST_URL, {"kind": "light_novel"}).text)
    assert "Toradora!" in novels
    assert "Fullmetal Alchemist" not in novels
    everything = client.get(LIST_URL, {"kind": "comic"})
    assert everything.status_code == 200
    assert "Fullmetal Alchemist" in everything.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999"])
def test_list_answers_a_bad_page_number_with_the_nearest_page(client, fma, page):
    response = client.get(LIST_URL, {"page": page})
    assert response.status_code == 200
    assert "Fullmetal Alchemist" in response.text
    assert 'class="notice"' in response.text


def test_list_ignores_a_nul_character_in_the_query(client, fma):
    assert client.get(LIST_URL, {"q": "a\x00b"}).status_code == 200


def test_list_is_paginated(client):
    Manga.objects.bulk_create(Manga(title=f"Manga {n:03}", slug=f"manga-{n}") for n in range(55))
    page = text_of(client.get(LIST_URL, {"page": 2}).text)
    assert "55 manga, showing 51–55" in page
    assert "Manga 054" in page
    assert "Manga 000" not in page


def test_htmx_gets_just_the_results(client, fma):
    response = client.get(LIST_URL, {"q": "full"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="manga-results"')
    assert "Fullmetal Alchemist" in response.text


def test_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(60):
        manga = make_manga(title=f"Manga {n}")
        MangaAuthor.objects.create(manga=manga, author=Author.objects.create(name=f"Author {n}"))
    # The catalog's version (for the page cache), the count, the page with its authors' names.
    with django_assert_num_queries(3):
        client.get(LIST_URL, {"page": 2, "q": "manga"})


def test_the_header_links_to_the_manga(client):
    assert f'href="{LIST_URL}"' in client.get(reverse("catalog:anime-list")).text


# The anime page's "Related manga"


def test_anime_page_shows_related_manga_by_relation(client, fma):
    anime = make_anime(title="Fullmetal Alchemist: Brotherhood")
    relate(anime, fma)
    relate(anime, make_manga(title="FMA Gaiden", volumes=None), MangaRelation.SPIN_OFF)
    html = client.get(anime.get_absolute_url()).text
    section = text_of(html[html.index('<section id="related-manga"') :])
    assert section.startswith(
        "Related manga Source Fullmetal Alchemist (2001) Manga (27 vols x 108 chs)"
        " Spin-off FMA Gaiden Manga (? vols)"
    )
    assert f'href="{fma.get_absolute_url()}"' in html


def test_relation_shows_on_both_sides(client, fma):
    anime = make_anime(title="Fullmetal Alchemist: Brotherhood")
    relate(anime, fma)
    assert fma.get_absolute_url() in client.get(anime.get_absolute_url()).text
    assert anime.get_absolute_url() in client.get(fma.get_absolute_url()).text


def test_anime_page_without_related_manga_has_no_section(client):
    anime = make_anime()
    assert "Related manga" not in client.get(anime.get_absolute_url()).text


def test_related_manga_come_after_related_anime(client, fma):
    anime = make_anime()
    AnimeRelation.objects.create(from_anime=anime, to_anime=make_anime())
    relate(anime, fma)
    html = client.get(anime.get_absolute_url()).text
    assert html.index('id="related"') < html.index('id="related-manga"')


def anime_with_every_block(manga_count: int) -> Anime:
    anime = make_anime(
        studios=[make_studio() for _ in range(3)], tags=[make_tag() for _ in range(3)]
    )
    for n in range(3):
        AnimeTitle.objects.create(anime=anime, title=f"Alias {n}")
        AnimeRelation.objects.create(
            from_anime=anime, to_anime=make_anime(), relation_type=RelationType.SEQUEL
        )
        make_review(anime=anime)
    for n in range(manga_count):
        relate(anime, make_manga(title=f"Manga {n}"), list(MangaRelation)[n % 3])
    return anime


@pytest.mark.parametrize("manga_count", [1, 6])
def test_anime_page_queries_do_not_grow_with_related_manga(
    client, manga_count, django_assert_max_num_queries
):
    anime = anime_with_every_block(manga_count)
    # Every block of the anime page (see test_pages), the related manga's one query included.
    # (+1: the recommendations block, userlists.)
    with django_assert_max_num_queries(13):
        html = client.get(anime.get_absolute_url()).text
    assert html.count('class="related-card"') == 3 + manga_count


# The page cache


def test_a_new_relation_refreshes_both_cached_pages(client, fma):
    anime = make_anime(title="Brotherhood")
    client.get(anime.get_absolute_url())
    client.get(fma.get_absolute_url())
    relate(anime, fma)
    assert "Related manga" in client.get(anime.get_absolute_url()).text
    assert "Brotherhood" in client.get(fma.get_absolute_url()).text


def test_a_deleted_relation_leaves_both_pages(client, fma):
    anime = make_anime(title="Brotherhood")
    relation = relate(anime, fma)
    client.get(anime.get_absolute_url())
    client.get(fma.get_absolute_url())
    relation.delete()
    assert "Related manga" not in client.get(anime.get_absolute_url()).text
    assert "Brotherhood" not in client.get(fma.get_absolute_url()).text


def test_a_bulk_deleted_relation_leaves_the_anime_page(client, fma):
    anime = make_anime()
    relate(anime, fma)
    client.get(anime.get_absolute_url())
    AnimeMangaRelation.objects.filter(manga=fma).delete()
    assert "Related manga" not in client.get(anime.get_absolute_url()).text


def test_a_relation_moved_to_another_anime_leaves_the_first_ones_page(client, fma):
    first, second = make_anime(), make_anime()
    relation = relate(first, fma)
    client.get(first.get_absolute_url())
    relation.anime = second
    relation.save()
    assert "Related manga" not in client.get(first.get_absolute_url()).text
    assert "Related manga" in client.get(second.get_absolute_url()).text


def test_a_renamed_manga_shows_on_the_anime_page_at_once(client, fma):
    anime = make_anime()
    relate(anime, fma)
    client.get(anime.get_absolute_url())
    fma.title = "Hagane no Renkinjutsushi"
    fma.save()
    assert "Hagane no Renkinjutsushi" in client.get(anime.get_absolute_url()).text


def test_a_deleted_manga_leaves_the_anime_page(client, fma):
    anime = make_anime()
    relate(anime, fma)
    client.get(anime.get_absolute_url())
    Manga.objects.filter(pk=fma.pk).delete()
    assert "Related manga" not in client.get(anime.get_absolute_url()).text


def test_a_bulk_deleted_author_leaves_the_manga_page(client, fma):
    client.get(fma.get_absolute_url())
    Author.objects.filter(name="Hiromu Arakawa").delete()
    assert "Hiromu Arakawa" not in client.get(fma.get_absolute_url()).text


def test_a_renamed_anime_shows_on_the_manga_page_at_once(client, fma):
    anime = make_anime(title="Brotherhood")
    relate(anime, fma)
    client.get(fma.get_absolute_url())
    anime.title = "Fullmetal Alchemist: Brotherhood"
    anime.save()
    assert "Fullmetal Alchemist: Brotherhood" in client.get(fma.get_absolute_url()).text


def test_a_second_anonymous_visit_is_served_from_the_cache(client, fma, django_assert_num_queries):
    client.get(fma.get_absolute_url())
    with django_assert_num_queries(1):
        assert "Fullmetal Alchemist" in client.get(fma.get_absolute_url()).text


# The admin


@pytest.fixture
def admin_client(client, fma):
    relate(make_anime(title="Brotherhood"), fma)
    client.force_login(make_superuser())
    return client


@pytest.mark.parametrize("model", ["manga", "author", "animemangarelation", "mangatitle"])
def test_admin_changelist_and_add_form_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:manga_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:manga_{model}_add")).status_code == 200


def test_admin_change_form_shows_the_inlines(admin_client, fma):
    response = admin_client.get(reverse("admin:manga_manga_change", args=[fma.pk]))
    assert response.status_code == 200
    assert "鋼の錬金術師" in response.text
    assert "Brotherhood" in response.text
    assert "Hiromu Arakawa" in response.text


def test_admin_search_finds_alternative_titles_and_authors(admin_client, fma):
    url = reverse("admin:manga_manga_changelist")
    assert "Fullmetal Alchemist" in admin_client.get(url, {"q": "鋼の"}).text
    assert "Fullmetal Alchemist" in admin_client.get(url, {"q": "arakawa"}).text


def test_admin_autocompletes_the_anime_of_a_relation(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "brother",
            "app_label": "manga",
            "model_name": "animemangarelation",
            "field_name": "anime",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Brotherhood"]


def test_admin_bulk_delete_refreshes_the_anime_page(admin_client, client, fma):
    anime = Anime.objects.get(title="Brotherhood")
    version = anime.page_version
    response = admin_client.post(
        reverse("admin:manga_manga_changelist"),
        {"action": "delete_selected", "_selected_action": [fma.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Manga.objects.exists()
    anime.refresh_from_db()
    assert anime.page_version > version


# The demo manga


def run_demo() -> str:
    out = io.StringIO()
    call_command("load_demo_manga", stdout=out)
    return out.getvalue()


def test_the_demo_manga_load_once_and_relate_to_the_anime_present():
    make_anime(title="Blame!", slug="blame")
    out = run_demo()
    assert "relations to anime created" in out
    blame = Manga.objects.get(title="BLAME!")
    assert blame.kind_summary == "Manga (10 vols)"
    assert blame.authors.get().name == "Tsutomu Nihei"
    assert list(blame.anime_relations.values_list("anime__slug", flat=True)) == ["blame"]
    counts = (Manga.objects.count(), AnimeMangaRelation.objects.count(), Author.objects.count())
    assert "0 manga created, 0 relations to anime created" in run_demo()
    assert counts == (
        Manga.objects.count(),
        AnimeMangaRelation.objects.count(),
        Author.objects.count(),
    )


def test_a_later_run_adds_the_relations_of_anime_loaded_since():
    entries = [DemoManga("Monster", ("Naoki Urasawa",), 1994, source_of=("monster",))]
    assert load_demo_manga(entries).missing_anime == 1
    anime = make_anime(title="Monster", slug="monster")
    summary = load_demo_manga(entries)
    assert (summary.manga, summary.relations) == (0, 1)
    assert anime.manga_relations.get().manga.title == "Monster"


def test_demo_relations_refresh_the_anime_page(client):
    anime = make_anime(title="Monster", slug="monster")
    client.get(anime.get_absolute_url())
    load_demo_manga([DemoManga("Monster", ("Naoki Urasawa",), 1994, source_of=("monster",))])
    assert "Related manga" in client.get(anime.get_absolute_url()).text


def test_every_demo_manga_is_valid():
    # Every entry passes the database's own checks (they run on create).
    run_demo()
    assert Manga.objects.count() == len({(entry.title, entry.kind) for entry in DEMO_MANGA})
