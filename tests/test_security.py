"""Attacks tried against the whole site, the way an attacker would send them.

- A POST without a CSRF token, to every URL the URLconf has: refused (403), nothing written.
- Another member's review or list entry changed by id: refused.
- Script in every field a member can write: shown as text, never as markup.
- SQL-ish, oversized and malformed values in search and every filter: never a 500.
- `next=` pointing off the site on log-in, sign-up and log-out: not followed.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client, RequestFactory
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

import config.views
from accounts.models import Profile
from catalog.forms import CatalogFilterForm
from config.views import server_error
from customlists.models import CustomList
from reviews.models import Report, Review
from tests.factories import (
    REVIEW_BODY,
    make_anime,
    make_review,
    make_superuser,
    make_tag,
    make_user,
)
from userlists.models import ListEntry, Status

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "[link](javascript:alert(1))",
    "<iframe src=//example.org></iframe>",
    "<style>body{display:none}</style>",
]
XSS_TEXT = " ".join(XSS_PAYLOADS)

HOSTILE_VALUES = [
    "' OR 1=1 --",
    "'; DROP TABLE catalog_anime; --",
    "%",
    "\\",
    "\x00",
    "é" * 5000,
    "x" * 100_000,
    "0",
    "99999999999999999999999999999999",
    "1e309",
    "😀",
]

OPEN_REDIRECTS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
]


class ActiveMarkup(HTMLParser):
    """Collects every piece of markup that could run script or restyle the page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The admin's own inline blocks carry the response's CSP nonce, which no text can guess.
        if tag in {"script", "style"} and "nonce" in dict(attrs):
            return
        if tag in {"iframe", "object", "embed", "style", "base"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and value.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.found.append("<script> without a static src")


def assert_inert(html: str) -> None:
    parser = ActiveMarkup()
    parser.feed(html)
    assert parser.found == []


# CSRF


def concrete_urls() -> list[str]:
    """Every URL pattern of the site (the admin's own apart), with its arguments filled in.

    The CSRF check comes before the view, so the objects need not exist: the URL must resolve.
    """
    anime = make_anime(title="Target")
    make_review(anime=anime, author=make_user("author"))
    by_name = {"username": "author", "season": "spring", "uidb64": "MQ", "token": "set-password"}
    by_converter = {"int": "1", "slug": anime.slug, "path": "x", "str": "x"}
    urls = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("admin/"):
                    urls.append("/admin/login/")
                    continue
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                path = prefix + route
                for name, converter in pattern.pattern.converters.items():
                    kind = type_name(converter)
                    value = by_name.get(name, by_converter[kind])
                    path = path.replace(f"<{kind}:{name}>", value).replace(f"<{name}>", value)
                urls.append("/" + path)

    walk(get_resolver().url_patterns, "")
    return urls


def type_name(converter) -> str:
    return {"IntConverter": "int", "SlugConverter": "slug", "PathConverter": "path"}.get(
        type(converter).__name__, "str"
    )


def test_every_url_refuses_a_post_without_a_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    member = make_user("member")
    strict.force_login(member)
    urls = concrete_urls()
    assert len(urls) > 20
    reviews_before = list(Review.objects.values_list("pk", "title"))
    for url in urls:
        try:
            resolve(url)
        except Resolver404:
            # A custom path converter this test cannot fill in: nothing to post to.
            continue
        response = strict.post(url, {"status": "watching", "title": "Forged"})
        assert response.status_code == 403, url
    assert list(Review.objects.values_list("pk", "title")) == reviews_before
    assert not ListEntry.objects.exists()


def test_the_csrf_failure_page_is_in_the_sites_layout():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "This form could not be sent" in response.text
    assert '<a class="logo"' in response.text


# Other members' things


@pytest.fixture
def intruder(client):
    user = make_user("intruder")
    client.force_login(user)
    return user


def test_another_members_review_cannot_be_edited_or_deleted_by_id(client, intruder):
    review = make_review(author=make_user("author"), title="Mine")
    edit = reverse("reviews:edit-review", args=[review.pk])
    data = {"title": "Defaced", "body": REVIEW_BODY, "overall": "1", "story": "1"}
    assert client.post(edit, data).status_code == 403
    assert client.post(reverse("reviews:delete-review", args=[review.pk])).status_code == 403
    review.refresh_from_db()
    assert review.title == "Mine"


def test_a_list_write_only_ever_touches_the_writers_own_entry(client, intruder):
    anime = make_anime()
    victim = make_user("victim")
    entry = ListEntry.objects.create(user=victim, anime=anime, status=Status.WATCHED, notes="Mine")
    for url in (
        reverse("userlists:update-entry", args=[anime.slug]),
        reverse("userlists:update-list-row", args=[anime.slug]),
    ):
        client.post(url, {"status": "dropped", "notes": "Defaced", "user": victim.pk})
    client.post(reverse("userlists:remove-entry", args=[anime.slug]), {"user": victim.pk})
    entry.refresh_from_db()
    assert (entry.status, entry.notes) == (Status.WATCHED, "Mine")


def test_another_members_custom_list_cannot_be_changed_by_id(client, intruder):
    anime = make_anime()
    custom_list = CustomList.objects.create_list(
        owner=make_user("owner"), anime=anime, title="Mine", is_public=True
    )
    item = custom_list.items.get()
    data = {"title": "Defaced", "description": "", "is_public": "on", "note": "Defaced"}
    for url in (
        reverse("customlists:edit-list", args=[custom_list.pk]),
        reverse("customlists:delete-list", args=[custom_list.pk]),
        reverse("customlists:remove-item", args=[custom_list.pk, item.pk]),
        reverse("customlists:edit-note", args=[custom_list.pk, item.pk]),
        reverse("customlists:move-item", args=[custom_list.pk, item.pk]),
    ):
        assert client.post(url, data).status_code in (403, 404), url
    client.post(
        reverse("customlists:add-anime", args=[make_anime().slug]), {"custom_list": custom_list.pk}
    )
    custom_list.refresh_from_db()
    assert (custom_list.title, custom_list.item_count) == ("Mine", 1)
    assert custom_list.items.get().note == ""


def test_a_private_list_is_not_shown_to_another_member(client, intruder):
    victim = make_user("victim", list_is_public=False)
    ListEntry.objects.create(user=victim, anime=make_anime(title="Secret Show"), status="watched")
    response = client.get(reverse("userlists:user-list", args=["victim"]))
    assert "Secret Show" not in response.text


# Script in what members write


def test_script_in_a_review_is_shown_as_text(client):
    author = make_user("author")
    anime = make_anime(title="Target")
    review = make_review(anime=anime, author=author, title=XSS_PAYLOADS[1], body=XSS_TEXT * 3)
    for url in (
        review.get_absolute_url(),
        reverse("reviews:anime-reviews", args=[anime.slug]),
        reverse("reviews:latest"),
        reverse("reviews:user-reviews", args=["author"]),
        anime.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.text)


def test_script_in_a_review_form_is_shown_back_as_text(client):
    client.force_login(make_user("author"))
    anime = make_anime()
    data = {"title": XSS_PAYLOADS[1], "body": XSS_TEXT, "overall": "x"}
    response = client.post(reverse("reviews:write-review", args=[anime.slug]), data)
    assert response.status_code == 400
    assert_inert(response.text)


def test_script_in_the_profile_about_is_shown_as_text(client):
    user = make_user("author")
    Profile.objects.filter(user=user).update(about=XSS_TEXT)
    response = client.get(reverse("accounts:profile", args=["author"]))
    assert "alert(1)" in response.text
    assert_inert(response.text)


def test_script_in_settings_is_refused_or_shown_as_text(client):
    client.force_login(make_user("author"))
    data = {"email": XSS_PAYLOADS[1], "list_is_public": "True", "about": XSS_TEXT}
    response = client.post(reverse("accounts:settings"), data)
    assert_inert(response.text)


def test_script_in_a_username_is_refused_and_shown_back_as_text(client):
    data = {
        "username": XSS_PAYLOADS[1],
        "email": "a@example.org",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
    }
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    assert_inert(response.text)
    assert not Profile.objects.exists()


def test_script_in_private_list_notes_is_shown_as_text(client):
    user = make_user("author")
    client.force_login(user)
    anime = make_anime()
    url = reverse("userlists:update-entry", args=[anime.slug])
    client.post(url, {"status": "watching", "notes": XSS_TEXT})
    assert ListEntry.objects.get().notes == XSS_TEXT
    for page in (anime.get_absolute_url(), reverse("userlists:user-list", args=["author"])):
        assert_inert(client.get(page).text)


def test_script_in_a_custom_list_is_shown_as_text(client):
    owner = make_user("author")
    anime = make_anime(title="Target")
    custom_list = CustomList.objects.create_list(
        owner=owner, anime=anime, title=XSS_PAYLOADS[1], description=XSS_TEXT, is_public=True
    )
    custom_list.items.update(note=XSS_TEXT)
    client.force_login(owner)
    for url in (
        custom_list.get_absolute_url(),
        reverse("customlists:recent"),
        reverse("customlists:user-lists", args=["author"]),
        reverse("customlists:anime-lists", args=[anime.slug]),
        reverse("customlists:edit-list", args=[custom_list.pk]),
        anime.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text)


def test_script_in_a_report_is_shown_as_text_in_the_admin(client):
    review = make_review(author=make_user("author"))
    client.force_login(make_user("reader"))
    client.post(
        reverse("reviews:report-review", args=[review.pk]), {"reason": "spam", "note": XSS_TEXT}
    )
    report = Report.objects.get()
    client.force_login(make_superuser())
    response = client.get(reverse("admin:reviews_report_change", args=[report.pk]))
    assert response.status_code == 200
    assert "alert(1)" in response.text
    assert_inert(response.text)


# Hostile input in search and filters


def test_hostile_values_in_every_filter_never_give_a_500(client):
    make_anime(title="Cowboy Bebop", tags=[make_tag(name="Space")])
    names = [*CatalogFilterForm.base_fields, "page", "q"]
    for name in names:
        for value in HOSTILE_VALUES:
            response = client.get(reverse("catalog:anime-list"), {name: value})
            assert response.status_code < 500, (name, value[:20])
    for value in HOSTILE_VALUES:
        assert client.get(reverse("catalog:anime-suggestions"), {"q": value}).status_code < 500


def test_hostile_values_in_other_pages_parameters_never_give_a_500(client):
    anime = make_anime()
    owner = make_user("owner")
    make_review(anime=anime, author=owner)
    pages = {
        reverse("reviews:latest"): ["page"],
        reverse("reviews:anime-reviews", args=[anime.slug]): ["sort", "page"],
        reverse("reviews:user-reviews", args=["owner"]): ["page"],
        reverse("userlists:user-list", args=["owner"]): ["status", "sort", "page"],
        reverse("catalog:anime-by-tag", args=["x"]): ["page", "sort"],
    }
    for url, names in pages.items():
        for name in names:
            for value in HOSTILE_VALUES:
                assert client.get(url, {name: value}).status_code < 500, (url, name)


def test_hostile_values_in_the_path_never_give_a_500(client):
    for value in ("%00", "'%20OR%201=1--", "x" * 5000, "%E2%80%AE", "..%2F..%2Fetc"):
        for prefix in ("/anime/", "/users/", "/reviews/", "/anime/season/2003/"):
            assert client.get(prefix + value + "/").status_code < 500, (prefix, value[:20])
    assert client.get("/reviews/99999999999999999999999/").status_code == 404
    assert client.get("/users/%00/").status_code == 400


def test_hostile_values_in_a_list_write_never_give_a_500(client):
    client.force_login(make_user("author"))
    anime = make_anime(episodes=12)
    url = reverse("userlists:update-entry", args=[anime.slug])
    for name in ("status", "progress", "rating", "started_on", "finished_on", "rewatch_count"):
        for value in HOSTILE_VALUES:
            assert client.post(url, {name: value}).status_code < 500, (name, value[:20])


def test_a_nul_character_in_a_log_in_is_a_form_error(client):
    for username in ("gin\x00ko", "x" * 10_000):
        response = client.post(reverse("accounts:login"), {"username": username, "password": "x"})
        assert response.status_code == 200


# Open redirects


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_log_in_does_not_follow_next_off_the_site(client, target):
    make_user("ginko", password="correct horse battery")
    response = client.post(
        reverse("accounts:login"),
        {"username": "ginko", "password": "correct horse battery", "next": target},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile", args=["ginko"])


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_the_log_in_page_does_not_carry_next_off_the_site(client, target):
    response = client.get(reverse("accounts:login"), {"next": target})
    assert 'name="next"' not in response.text


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_sign_up_does_not_follow_next_off_the_site(client, target):
    data = {
        "username": "newcomer",
        "email": "new@example.org",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
        "next": target,
    }
    response = client.post(reverse("accounts:signup") + "?next=" + target, data)
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile", args=["newcomer"])


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_log_out_does_not_follow_next_off_the_site(client, target):
    client.force_login(make_user("ginko"))
    response = client.post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302
    assert response.url == reverse("catalog:anime-list")


def test_next_on_the_site_is_still_followed(client):
    make_user("ginko", password="correct horse battery")
    anime = make_anime()
    response = client.post(
        reverse("accounts:login"),
        {
            "username": "ginko",
            "password": "correct horse battery",
            "next": anime.get_absolute_url(),
        },
    )
    assert response.url == anime.get_absolute_url()


# Error pages


def test_a_refusal_is_a_403_page_in_the_layout_that_says_why(client, intruder):
    review = make_review(author=make_user("author"))
    response = client.get(reverse("reviews:edit-review", args=[review.pk]))
    assert response.status_code == 403
    assert "Only its author may change a review." in response.text
    assert '<a class="logo"' in response.text


def test_a_bad_request_is_a_400_page_in_the_layout(client):
    response = client.get("/users/%00/")
    assert response.status_code == 400
    assert "Bad request" in response.text
    assert '<a class="logo"' in response.text


def test_the_500_page_is_styled_and_falls_back_to_plain_html(monkeypatch):
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "/static/css/site" in response.text

    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(config.views, "render_to_string", broken)
    response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.text
