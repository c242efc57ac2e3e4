"""The import page and the export downloads, through HTTP."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_anime
from tests.mal_files import gzipped, mal_entry, mal_file
from userlists.forms_import import MAX_UPLOAD_BYTES
from userlists.models import ListEntry, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("kaori", password="x")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def upload(client, data: bytes, name: str = "animelist.xml"):
    return client.post(reverse("userlists:list-import"), {"file": SimpleUploadedFile(name, data)})


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    "name", ["userlists:list-import", "userlists:list-export-xml", "userlists:list-export-csv"]
)
def test_anonymous_visitors_are_sent_to_log_in_and_back(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{resolve_url(settings.LOGIN_URL)}?next={quote(url)}"


def test_the_import_page_offers_the_upload_and_the_exports(user_client):
    response = user_client.get(reverse("userlists:list-import"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert reverse("userlists:list-export-xml") in response.text
    assert reverse("userlists:list-export-csv") in response.text


def test_an_import_shows_its_summary(user_client, user):
    make_anime(title="Mushishi")
    response = upload(
        user_client,
        mal_file(
            mal_entry(series_title="Mushishi", my_status="On-Hold"),
            mal_entry(series_title="Not In The Catalog"),
        ),
    )
    text = text_of(response.text)
    assert "1 new on your list" in text
    assert "1 not matched" in text
    assert "Not In The Catalog" in text
    assert "1 On-Hold entry is now “Watching”" in text
    assert ListEntry.objects.get(user=user).status == Status.WATCHING


def test_a_gzipped_export_is_imported(user_client, user):
    make_anime(title="Mushishi")
    upload(
        user_client,
        gzipped(mal_file(mal_entry(series_title="Mushishi", my_score=8))),
        "animelist_1700000000_-_123.xml.gz",
    )
    assert ListEntry.objects.get(user=user).rating == Decimal(4)


def test_a_malformed_file_is_refused_and_nothing_is_imported(user_client):
    make_anime(title="Mushishi")
    broken = mal_file(mal_entry(series_title="Mushishi"))[:-40]
    response = upload(user_client, broken)
    assert "not well-formed XML" in response.text
    assert not ListEntry.objects.exists()


def test_a_bad_entry_late_in_the_file_leaves_nothing_imported(user_client):
    make_anime(title="Mushishi")
    make_anime(title="Monster")
    response = upload(
        user_client,
        mal_file(
            mal_entry(series_title="Mushishi", my_status="Completed"),
            mal_entry(series_title="Monster", my_score=42),
        ),
    )
    assert "“Monster” has my_score" in response.text
    assert not ListEntry.objects.exists()


def test_a_failure_while_saving_rolls_back_the_whole_import(user_client, monkeypatch):
    make_anime(title="Mushishi")
    make_anime(title="Monster")
    save_entry = ListEntry.objects.save_entry
    calls = []

    def fail_the_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise ValidationError("The database said no.")
        return save_entry(*args, **kwargs)

    monkeypatch.setattr(ListEntry.objects, "save_entry", fail_the_second)
    response = upload(
        user_client,
        mal_file(mal_entry(series_title="Mushishi"), mal_entry(series_title="Monster")),
    )
    assert "cannot be saved: The database said no." in response.text
    assert not ListEntry.objects.exists()


def test_a_damaged_gzip_is_refused(user_client):
    response = upload(user_client, gzipped(mal_file())[:30], "animelist.xml.gz")
    assert "damaged or incomplete" in response.text


def test_a_file_over_the_size_limit_is_refused(user_client):
    response = upload(user_client, b" " * (MAX_UPLOAD_BYTES + 1))
    assert "the limit is 5.0" in response.text


def test_importing_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert upload(client, mal_file()).status_code == 403


def test_the_xml_export_is_a_dated_attachment_named_after_the_user(user_client):
    response = user_client.get(reverse("userlists:list-export-xml"))
    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == (f'attachment; filename="animedex-kaori-{today}.xml"')


def test_the_csv_export_is_a_dated_attachment_named_after_the_user(user_client):
    response = user_client.get(reverse("userlists:list-export-csv"))
    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (f'attachment; filename="animedex-kaori-{today}.csv"')


def test_exports_hold_only_the_requesting_users_list(user_client, user, django_user_model):
    other = django_user_model.objects.create_user("other", password="x")
    ListEntry.objects.save_entry(other, make_anime(title="Someone Else Pick"))
    ListEntry.objects.save_entry(user, make_anime(title="Kaori Pick"))
    for name in ["userlists:list-export-xml", "userlists:list-export-csv"]:
        body = user_client.get(reverse(name)).content.decode()
        assert "Kaori Pick" in body
        assert "Someone Else" not in body


@pytest.mark.parametrize("name", ["userlists:list-export-xml", "userlists:list-export-csv"])
def test_an_export_takes_a_fixed_number_of_queries(
    user_client, user, name, django_assert_num_queries
):
    for _ in range(4):
        ListEntry.objects.save_entry(user, make_anime())
    # The session, the user, the entries with their anime and MyAnimeList pages.
    with django_assert_num_queries(3):
        user_client.get(reverse(name))
