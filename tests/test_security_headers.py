"""Security headers and cookie flags on real responses, with production's settings.

The tests run with DEBUG off, which is production's configuration (config/settings.py derives
HSTS and secure cookies from it); only the redirect to HTTPS is off (tests/conftest.py), so
these requests say they came over HTTPS themselves (`secure=True`).
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from django.urls import reverse

from tests.factories import make_anime, make_superuser, make_user

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def assert_security_headers(headers) -> None:
    assert headers["Content-Security-Policy"] == POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_the_security_headers(client):
    anime = make_anime()
    for url in (reverse("catalog:anime-list"), anime.get_absolute_url(), "/no-such-page/"):
        response = client.get(url, secure=True)
        assert_security_headers(response)
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_page_from_the_anonymous_cache_carries_them_too(client):
    anime = make_anime()
    client.get(anime.get_absolute_url(), secure=True)
    assert_security_headers(client.get(anime.get_absolute_url(), secure=True))


def test_the_live_server_sends_them_over_the_wire(live_server):
    with urllib.request.urlopen(f"{live_server.url}/anime/") as response:
        assert_security_headers(response.headers)


def test_the_admin_gets_a_nonce_for_its_own_inline_blocks(client):
    client.force_login(make_superuser())
    response = client.get(reverse("admin:catalog_anime_changelist"), secure=True)
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in response.text
    assert "frame-ancestors 'none'" in policy


def test_session_and_csrf_cookies_are_secure_and_same_site(client):
    make_user("ginko", password="correct horse battery")
    response = client.post(
        reverse("accounts:login"),
        {"username": "ginko", "password": "correct horse battery"},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = client.get(reverse("accounts:settings"), secure=True).cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"
    # static/js/animedex.js reads it to send the token with htmx requests.
    assert not csrf["httponly"]
