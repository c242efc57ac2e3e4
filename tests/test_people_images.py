"""Characters' pictures: uploads checked and stored as covers are (catalog.images and
catalog.cover_files), through the admin and in code, and their old files removed."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from catalog.cover_files import thumbnail_name
from people.models import Character
from tests.factories import make_character
from tests.image_files import REFUSED_UPLOADS, jpeg_with_exif, png_bytes, png_header, upload

pytestmark = pytest.mark.django_db


def character_form(client, **fields) -> dict:
    """The character add form's fields, its inline formsets empty."""
    formsets = client.get(reverse("admin:people_character_add")).context["inline_admin_formsets"]
    management = {
        f"{inline.formset.prefix}-{field}": "0"
        for inline in formsets
        for field in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    return {"name": "Faye Valentine", "slug": "faye-valentine", **management, **fields}


def stored_files(character: Character) -> list[str]:
    storage = character.image.storage
    return storage.listdir("characters")[1] if storage.exists("characters") else []


@pytest.mark.parametrize(
    "data, name",
    [(png_bytes((90, 120)), "faye.png"), (jpeg_with_exif((300, 200)), "faye.jpg")],
    ids=["png", "jpeg"],
)
def test_an_admin_uploads_a_small_picture(admin_client, data, name):
    response = admin_client.post(
        reverse("admin:people_character_add"),
        character_form(admin_client, image=upload(data, name)),
    )
    assert response.status_code == 302
    character = Character.objects.get(slug="faye-valentine")
    assert re.fullmatch(r"characters/[0-9a-f]{20}\.webp", character.image.name)
    with character.image.open("rb"), Image.open(character.image) as stored:
        assert stored.format == "WEBP"
        assert dict(stored.getexif()) == {}  # the camera and GPS tags are gone
    assert (character.image_width, character.image_height) == stored.size
    assert character.image.storage.exists(thumbnail_name(character.image.name, 75))


@pytest.mark.parametrize("data, message", REFUSED_UPLOADS)
def test_a_refused_upload_is_a_form_error_in_the_admin(admin_client, data, message):
    response = admin_client.post(
        reverse("admin:people_character_add"),
        character_form(admin_client, image=upload(data, "faye.png")),
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Character.objects.exists()
    assert not stored_files(Character())


@pytest.mark.parametrize(
    "data, code",
    [(png_header(100_000, 100_000), "too_many_pixels"), (b"#!/bin/sh\n", "invalid_image")],
    ids=["bomb", "not an image"],
)
def test_a_picture_given_in_code_is_checked_too(data, code):
    with pytest.raises(ValidationError) as refused:
        make_character(image=upload(data, "faye.png"))
    assert refused.value.code == code
    assert not Character.objects.exists()


def test_the_image_view_serves_the_stored_picture(client):
    character = make_character(name="Ein", image=upload(png_bytes(), "ein.png"))
    response = client.get(character.get_image_url())
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    with Image.open(BytesIO(b"".join(response.streaming_content))) as served:
        assert served.format == "WEBP"


def test_replacing_a_picture_deletes_the_old_files_once_committed(
    django_capture_on_commit_callbacks,
):
    character = make_character(image=upload(png_bytes(colour="red"), "a.png"))
    storage, old = character.image.storage, character.image.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        character.image = upload(jpeg_with_exif(), "b.jpg")
        character.save()
    assert storage.exists(old)  # kept until the change is committed
    for callback in callbacks:
        callback()
    assert storage.exists(character.image.name)
    assert not any(storage.exists(name) for name in [old, thumbnail_name(old, 75)])


def test_saving_without_a_new_picture_keeps_the_files(django_capture_on_commit_callbacks):
    character = make_character(image=upload(png_bytes(), "a.png"))
    with django_capture_on_commit_callbacks(execute=True):
        Character.objects.get(pk=character.pk).save()
    assert character.image.storage.exists(character.image.name)


def test_deleting_a_character_deletes_its_picture(django_capture_on_commit_callbacks):
    character = make_character(image=upload(png_bytes(), "a.png"))
    storage, name = character.image.storage, character.image.name
    with django_capture_on_commit_callbacks(execute=True):
        character.delete()
    assert not storage.exists(name)
    assert not storage.exists(thumbnail_name(name, 450))
