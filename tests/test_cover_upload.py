"""Uploaded covers: checked (bombs, non-images, huge files), cleaned, stored as WebP with
thumbnails, shown with their sizes, replaced and removed through the admin."""

from __future__ import annotations

import re
from io import BytesIO, StringIO

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from catalog import images
from catalog.cover_files import ORIGINAL_MAX_SIZE, thumbnail_name
from catalog.covers import COVER_WIDTHS
from catalog.images import ImageUploadField, open_image
from catalog.models import Anime, AnimeRelation, CatalogVersion
from tests.factories import make_anime
from tests.image_files import (
    REFUSED_UPLOADS,
    jpeg_with_exif,
    png_bytes,
    png_header,
    upload,
)
from tests.test_admin import empty_inlines

# Files


def refusal(data: bytes, name: str = "cover.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        open_image(upload(data, name))
    return refused.value


# Checking an upload


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 100,000 × 100,000 pixels: 30 GB of RGB, declared in 60 bytes.
    error = refusal(png_header(100_000, 100_000), "bomb.png")
    assert error.code == "too_many_pixels"
    assert "too many pixels; the limit is 40 megapixels" in error.messages[0]


def test_an_image_just_over_the_pixel_limit_is_refused():
    # Between the limit and twice it, where Pillow only warns: the warning is a refusal too.
    assert refusal(png_header(7000, 7000), "big.png").code == "too_many_pixels"


def test_a_text_file_named_jpg_is_refused():
    error = refusal(b"This is not a picture of anything.\n" * 20, "cover.jpg")
    assert error.code == "invalid_image"
    assert error.messages == [images.NOT_AN_IMAGE]


def test_a_file_over_the_size_limit_is_refused_unread():
    huge = b"\xff\xd8\xff" + bytes(images.MAX_UPLOAD_BYTES)
    error = refusal(huge)
    assert error.code == "file_too_large"
    assert error.messages == ["This file is 10.0 MB; the limit is 10 MB."]


def test_a_truncated_image_is_refused():
    assert refusal(jpeg_with_exif()[:400]).code == "invalid_image"


def test_an_image_in_another_format_is_refused():
    buffer = BytesIO()
    Image.new("RGB", (40, 60)).save(buffer, "BMP")
    assert refusal(buffer.getvalue(), "cover.bmp").code == "invalid_image"


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_allowed_format_is_accepted(kind):
    buffer = BytesIO()
    Image.new("RGB", (40, 60), "red").save(buffer, kind)
    assert open_image(upload(buffer.getvalue())).size == (40, 60)


def test_the_image_is_turned_upright_as_its_exif_says():
    image = open_image(upload(jpeg_with_exif((300, 200), orientation=6)))
    assert image.size == (200, 300)
    # The yellow left half is now the top half.
    red, green, blue = image.getpixel((100, 20))
    assert red > 200 and green > 200 and blue < 80


def test_the_image_keeps_no_metadata():
    image = open_image(upload(jpeg_with_exif()))
    assert image.info == {}
    assert dict(image.getexif()) == {}


def test_transparency_becomes_white():
    image = open_image(upload(png_bytes(mode="RGBA", colour=(255, 0, 0, 0)), "clear.png"))
    assert (image.mode, image.getpixel((5, 5))) == ("RGB", (255, 255, 255))


def test_a_large_image_is_scaled_into_the_size_asked_for():
    buffer = BytesIO()
    Image.new("RGB", (4000, 3000), "gray").save(buffer, "JPEG")
    image = open_image(upload(buffer.getvalue()), max_size=(1800, 2544))
    assert image.size == (1800, 1350)


class CoverForm(forms.Form):
    cover = ImageUploadField()


@pytest.mark.parametrize(
    "data, message",
    [
        (png_header(100_000, 100_000), "too many pixels"),
        (b"plain text, honest", "This file is not one"),
    ],
)
def test_the_form_field_turns_a_refusal_into_a_form_error(data, message):
    form = CoverForm(files={"cover": upload(data)})
    assert not form.is_valid()
    assert message in form.errors["cover"][0]


# Storing a cover


@pytest.mark.django_db
def test_a_cover_is_stored_as_webp_without_its_metadata():
    anime = make_anime(cover=upload(jpeg_with_exif((300, 200))))
    assert re.fullmatch(r"covers/[0-9a-f]{20}\.webp", anime.cover.name)
    with anime.cover.open("rb"), Image.open(anime.cover) as stored:
        assert (stored.format, stored.size) == ("WEBP", (200, 300))
        assert not {"exif", "xmp", "icc_profile", "comment"} & stored.info.keys()
        assert dict(stored.getexif()) == {}
    with anime.cover.storage.open(anime.cover.name) as stored_bytes:
        assert b"Snoopy" not in stored_bytes.read()
    assert (anime.cover_width, anime.cover_height) == (200, 300)


@pytest.mark.django_db
def test_a_bomb_given_in_code_is_refused_as_a_form_would_refuse_it():
    # Not measured by Django (Pillow's own DecompressionBombError) before catalog.images sees it.
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        make_anime(cover=upload(png_header(100_000, 100_000), "bomb.png"))
    assert refused.value.code == "too_many_pixels"
    assert not Anime.objects.exists()


@pytest.mark.django_db
def test_a_cover_is_measured_once_stored():
    anime = make_anime(cover=upload(png_bytes((90, 120)), "a.png"))
    assert (anime.cover_width, anime.cover_height) == (90, 120)
    anime.cover = upload(jpeg_with_exif((300, 200)))  # turned upright when stored
    anime.save()
    anime.refresh_from_db()
    assert (anime.cover_width, anime.cover_height) == (200, 300)


@pytest.mark.django_db
def test_a_cover_gets_a_thumbnail_of_each_width_in_cover_proportions():
    anime = make_anime(cover=upload(jpeg_with_exif((300, 200))))
    storage = anime.cover.storage
    sizes = {}
    for width in COVER_WIDTHS:
        with (
            storage.open(thumbnail_name(anime.cover.name, width)) as file,
            Image.open(file) as thumb,
        ):
            sizes[width] = (thumb.format, thumb.size)
    assert sizes == {
        75: ("WEBP", (75, 106)),
        150: ("WEBP", (150, 212)),
        225: ("WEBP", (225, 318)),
        450: ("WEBP", (450, 636)),
    }


@pytest.mark.django_db
def test_a_huge_cover_is_stored_at_most_at_the_original_size():
    buffer = BytesIO()
    Image.new("RGB", (3000, 6000), "gray").save(buffer, "JPEG")
    anime = make_anime(cover=upload(buffer.getvalue()))
    assert ORIGINAL_MAX_SIZE == (1800, 2544)
    assert (anime.cover_width, anime.cover_height) == (1272, 2544)


@pytest.mark.django_db
def test_the_same_picture_for_two_anime_gives_each_its_own_files():
    first = make_anime(cover=upload(png_bytes(), "a.png"))
    second = make_anime(cover=upload(png_bytes(), "a.png"))
    assert first.cover.name != second.cover.name


@pytest.mark.django_db
def test_deleting_an_anime_deletes_its_cover_files(django_capture_on_commit_callbacks):
    anime = make_anime(cover=upload(png_bytes(), "a.png"))
    storage, name = anime.cover.storage, anime.cover.name
    with django_capture_on_commit_callbacks(execute=True):
        anime.delete()
    assert not storage.exists(name)
    assert not storage.exists(thumbnail_name(name, 75))


# On the pages


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


@pytest.mark.django_db
def test_anime_page_shows_the_uploaded_cover_eagerly_with_its_thumbnails(client):
    anime = make_anime(title="Haibane Renmei", cover=upload(jpeg_with_exif()))
    html = client.get(anime.get_absolute_url()).text
    (cover,) = [tag for tag in img_tags(html) if 'class="cover"' in tag]
    urls = anime.cover_urls()
    assert f'src="{urls[225]}"' in cover
    assert f'srcset="{urls[75]} 75w, {urls[150]} 150w, {urls[225]} 225w, {urls[450]} 450w"' in cover
    assert 'sizes="225px" width="225" height="318" alt="Cover of Haibane Renmei"' in cover
    assert "loading" not in cover
    assert urls[225] == f"/media/{thumbnail_name(anime.cover.name, 225)}"


@pytest.mark.django_db
def test_list_rows_show_lazy_thumbnails_with_their_size(client):
    anime = make_anime(cover=upload(jpeg_with_exif()))
    make_anime()  # and one with the placeholder
    rows = img_tags(client.get(reverse("catalog:anime-list")).text)
    assert len(rows) == 2
    assert all('width="75" height="106"' in tag and 'loading="lazy"' in tag for tag in rows)
    assert any(f'src="{anime.cover_urls()[75]}"' in tag for tag in rows)


@pytest.mark.django_db
def test_related_cards_show_lazy_thumbnails(client):
    sequel = make_anime(cover=upload(png_bytes(), "a.png"))
    anime = make_anime()
    AnimeRelation.objects.create(from_anime=anime, to_anime=sequel, relation_type="sequel")
    html = client.get(anime.get_absolute_url()).text
    (card,) = [tag for tag in img_tags(html) if sequel.cover_urls()[75] in tag]
    assert 'sizes="56px" width="56" height="79" alt="" loading="lazy"' in card


@pytest.mark.django_db
def test_anime_without_a_cover_get_placeholders_of_every_width(client):
    anime = make_anime()
    for width, url in anime.cover_urls().items():
        response = client.get(url)
        assert response["Content-Type"] == "image/png"
        assert Image.open(BytesIO(response.content)).size == (width, round(width * 318 / 225))


@pytest.mark.django_db
def test_the_cover_view_serves_an_uploaded_thumbnail(client):
    anime = make_anime(cover=upload(png_bytes(), "a.png"))
    response = client.get(anime.get_cover_url() + "&w=150")
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/webp"
    assert Image.open(BytesIO(content)).size == (150, 212)


@pytest.mark.django_db
@pytest.mark.parametrize("width", ["76", "abc", "", "-1"])
def test_the_cover_view_has_no_other_widths(client, width):
    anime = make_anime()
    assert client.get(anime.get_cover_url() + f"&w={width}").status_code == 404


@pytest.mark.django_db
def test_the_list_page_runs_no_query_per_cover(client, django_assert_max_num_queries):
    for n in range(20):
        make_anime(title=f"Covered {n}", cover=upload(png_bytes(), "a.png") if n % 2 else "")
    # The catalog's version (for the page cache), the count, the page of anime with their
    # studios, the tags the filter form offers.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("catalog:anime-list"))
    assert len(img_tags(response.text)) == 20


# The admin


def admin_form(client, anime: Anime, **fields) -> dict:
    return {
        "title": anime.title,
        "slug": anime.slug,
        "kind": anime.kind,
        "episodes": anime.episodes,
        **empty_inlines(client),
        **fields,
    }


def change_url(anime: Anime) -> str:
    return reverse("admin:catalog_anime_change", args=[anime.pk])


@pytest.mark.django_db
def test_an_admin_uploads_a_cover(admin_client):
    anime = make_anime()
    response = admin_client.post(
        change_url(anime), admin_form(admin_client, anime, cover=upload(jpeg_with_exif()))
    )
    assert response.status_code == 302
    anime.refresh_from_db()
    assert anime.cover.name.endswith(".webp")
    assert anime.cover.storage.exists(thumbnail_name(anime.cover.name, 450))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["PNG", "GIF", "WEBP"])
def test_an_admin_uploads_a_cover_in_each_format(admin_client, kind):
    # Pillow closes a PNG's or GIF's file with the image; the upload must stay open for Django.
    buffer = BytesIO()
    Image.new("RGB", (90, 120), "teal").save(buffer, kind)
    anime = make_anime()
    response = admin_client.post(
        change_url(anime), admin_form(admin_client, anime, cover=upload(buffer.getvalue()))
    )
    assert response.status_code == 302
    anime.refresh_from_db()
    assert (anime.cover.name.endswith(".webp"), anime.cover_width) == (True, 90)


@pytest.mark.django_db
@pytest.mark.parametrize("data, message", REFUSED_UPLOADS)
def test_a_refused_upload_is_a_form_error_in_the_admin(admin_client, data, message):
    anime = make_anime()
    response = admin_client.post(
        change_url(anime), admin_form(admin_client, anime, cover=upload(data))
    )
    assert response.status_code == 200
    assert message in response.text
    anime.refresh_from_db()
    assert not anime.cover
    assert not (anime.cover.storage.exists("covers") and anime.cover.storage.listdir("covers")[1])


@pytest.mark.django_db
def test_the_admin_form_shows_a_preview_of_the_cover(admin_client):
    anime = make_anime(cover=upload(png_bytes(), "a.png"))
    html = admin_client.get(change_url(anime)).text
    assert f'src="{anime.cover_urls()[150]}"' in html


@pytest.mark.django_db
def test_replacing_a_cover_deletes_the_old_files_once_committed(
    admin_client, django_capture_on_commit_callbacks
):
    anime = make_anime(cover=upload(png_bytes(colour="red"), "a.png"))
    storage, old = anime.cover.storage, anime.cover.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(
            change_url(anime), admin_form(admin_client, anime, cover=upload(jpeg_with_exif()))
        )
    assert storage.exists(old)  # kept until the change is committed
    for callback in callbacks:
        callback()
    anime.refresh_from_db()
    assert anime.cover.name != old
    assert storage.exists(anime.cover.name)
    assert not any(storage.exists(name) for name in [old, thumbnail_name(old, 75)])


@pytest.mark.django_db
def test_removing_a_cover_deletes_its_files_and_brings_back_the_placeholder(
    admin_client, django_capture_on_commit_callbacks
):
    anime = make_anime(cover=upload(png_bytes(), "a.png"))
    storage, old = anime.cover.storage, anime.cover.name
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            change_url(anime), admin_form(admin_client, anime, **{"cover-clear": "on"})
        )
    anime.refresh_from_db()
    assert not anime.cover
    assert not storage.exists(old)
    assert anime.cover_urls()[75].startswith(anime.get_cover_url())


@pytest.mark.django_db
def test_cached_pages_show_the_new_cover(client, admin_client):
    anime = make_anime(cover=upload(png_bytes(colour="red"), "a.png"))
    prequel = make_anime()
    AnimeRelation.objects.create(from_anime=prequel, to_anime=anime, relation_type="sequel")
    anonymous = type(client)()
    pages = [anime.get_absolute_url(), prequel.get_absolute_url(), reverse("catalog:anime-list")]
    old_url = anime.cover_urls()[75]
    assert all(old_url in anonymous.get(page).text for page in pages)  # now cached
    catalog_version = CatalogVersion.current()

    admin_client.post(
        change_url(anime), admin_form(admin_client, anime, cover=upload(jpeg_with_exif()))
    )

    anime.refresh_from_db()
    new_url = anime.cover_urls()[75]
    for page in pages:
        html = anonymous.get(page).text
        assert new_url in html and old_url not in html, page
    assert CatalogVersion.current() > catalog_version


@pytest.mark.django_db
def test_the_cover_alt_text_is_escaped(client):
    anime = make_anime(title='"><script>alert(1)</script>')
    html = client.get(anime.get_absolute_url()).text
    assert "<script>alert(1)" not in html
    assert escape('"><script>') in html


# Covers stored before thumbnails existed


@pytest.mark.django_db(transaction=True)
def test_rebuild_covers_stores_old_uploads_as_webp_with_thumbnails():
    anime = make_anime()
    storage = anime.cover.storage
    old_name = storage.save("covers/old.jpg", upload(jpeg_with_exif()))
    Anime.objects.filter(pk=anime.pk).update(cover=old_name, cover_width=300, cover_height=200)
    out, err = StringIO(), StringIO()
    call_command("rebuild_covers", stdout=out, stderr=err)
    anime.refresh_from_db()
    assert anime.cover.name.endswith(".webp")
    assert storage.exists(thumbnail_name(anime.cover.name, 75))
    assert not storage.exists(old_name)
    assert "Covers rebuilt: 1, skipped: 0" in out.getvalue()


@pytest.mark.django_db
def test_rebuild_covers_skips_a_missing_file():
    anime = make_anime()
    Anime.objects.filter(pk=anime.pk).update(cover="covers/gone.jpg", cover_width=9, cover_height=9)
    out, err = StringIO(), StringIO()
    call_command("rebuild_covers", stdout=out, stderr=err)
    assert "Covers rebuilt: 0, skipped: 1" in out.getvalue()
    assert f"{anime.slug}: cover covers/gone.jpg skipped" in err.getvalue()
