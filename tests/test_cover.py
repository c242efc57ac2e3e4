from __future__ import annotations

from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog import views
from catalog.covers import placeholder_cover
from catalog.models import Kind
from tests.factories import make_anime


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def open_png(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def jpeg_bytes(size: tuple[int, int] = (40, 60)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def cover_url(anime) -> str:
    return reverse("catalog:anime-cover", kwargs={"slug": anime.slug})


# The placeholder drawing


def test_placeholder_is_a_png_of_the_cover_size():
    image = open_png(placeholder_cover("Cowboy Bebop", "TV · 1998"))
    assert (image.format, image.size) == ("PNG", (225, 318))


def test_placeholder_takes_another_size():
    assert open_png(placeholder_cover("Cowboy Bebop", "TV", size=(75, 106))).size == (75, 106)


def test_placeholder_is_the_same_for_the_same_title():
    assert placeholder_cover("Trigun", "TV · 1998") == placeholder_cover("Trigun", "TV · 1998")


def test_placeholder_colour_comes_from_the_title():
    corner = (1, 1)
    first = open_png(placeholder_cover("Trigun", "TV")).getpixel(corner)
    second = open_png(placeholder_cover("Cowboy Bebop", "TV")).getpixel(corner)
    assert first != second


@pytest.mark.parametrize(
    "title",
    [
        "Supercalifragilisticexpialidociousnessextraordinaireandthensomemore",
        " ".join(["Very long title"] * 40),
        "★",
        "",
    ],
)
def test_placeholder_copes_with_awkward_titles(title):
    assert open_png(placeholder_cover(title, "Music Video · 2017")).size == (225, 318)


# The cover view


@pytest.mark.django_db
def test_anime_without_a_cover_gets_the_placeholder(client):
    anime = make_anime(title="Trigun", kind=Kind.TV, start_year=1998)
    response = client.get(cover_url(anime))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == placeholder_cover("Trigun", "TV · 1998")


@pytest.mark.django_db
def test_cover_can_be_cached_by_browsers(client):
    response = client.get(cover_url(make_anime()))
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["ETag"]
    assert response["Last-Modified"]


@pytest.mark.django_db
def test_placeholder_is_drawn_once_then_cached(client, monkeypatch):
    drawn = []

    def counting_placeholder(title: str, subtitle: str, size: tuple[int, int]) -> bytes:
        drawn.append(title)
        return placeholder_cover(title, subtitle, size)

    monkeypatch.setattr(views, "placeholder_cover", counting_placeholder)
    anime = make_anime()
    client.get(cover_url(anime))
    client.get(cover_url(anime))
    assert drawn == [anime.title]


@pytest.mark.django_db
def test_uploaded_cover_is_served(client):
    anime = make_anime(cover=SimpleUploadedFile("bebop.jpg", jpeg_bytes()))
    response = client.get(cover_url(anime))
    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    with anime.cover.open("rb"):
        assert content == anime.cover.read()


@pytest.mark.django_db
def test_missing_uploaded_file_falls_back_to_the_placeholder(client):
    anime = make_anime(cover=SimpleUploadedFile("bebop.jpg", jpeg_bytes()))
    anime.cover.storage.delete(anime.cover.name)
    response = client.get(cover_url(anime))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_unchanged_cover_answers_304_to_if_none_match(client):
    anime = make_anime()
    etag = client.get(cover_url(anime))["ETag"]
    response = client.get(cover_url(anime), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.django_db
def test_unchanged_cover_answers_304_to_if_modified_since(client):
    anime = make_anime()
    last_modified = client.get(cover_url(anime))["Last-Modified"]
    response = client.get(cover_url(anime), headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


@pytest.mark.django_db
def test_saving_the_anime_changes_the_etag_and_the_cover_url(client):
    anime = make_anime()
    etag, url = client.get(cover_url(anime))["ETag"], anime.get_cover_url()
    anime.title = "Renamed"
    anime.save()
    response = client.get(cover_url(anime), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert anime.get_cover_url() != url


@pytest.mark.django_db
def test_cover_of_unknown_anime_is_404(client):
    response = client.get(reverse("catalog:anime-cover", kwargs={"slug": "no-such-anime"}))
    assert response.status_code == 404


@pytest.mark.django_db
def test_cover_refuses_post(client):
    assert client.post(cover_url(make_anime())).status_code == 405


@pytest.mark.django_db
def test_cover_runs_one_query(client, django_assert_num_queries):
    anime = make_anime()
    with django_assert_num_queries(1):
        client.get(cover_url(anime))
