"""The rate limiter (throttle) and the limits it puts on log-in, sign-up, reviews and lists."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

import throttle.models
from accounts.limits import (
    LOGIN_FAILURES_PER_ACCOUNT,
    LOGIN_FAILURES_PER_ADDRESS,
    PASSWORD_RESETS_PER_ADDRESS,
    SIGN_UPS_PER_ADDRESS,
)
from tests.factories import make_anime, make_superuser, make_user
from throttle.http import client_address
from throttle.models import Counter, Rate, Throttled, prune
from userlists.models import ListEntry
from userlists.views import LIST_WRITES

pytestmark = pytest.mark.django_db

RATE = Rate("test", limit=3, window=timedelta(minutes=1), message="Too fast.")
NOON = datetime(2026, 1, 1, 12, 0, 20, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, stopped 20 seconds into a minute; append to move it."""
    moments = [NOON]
    monkeypatch.setattr(throttle.models, "now", lambda: moments[-1])
    return moments


def test_hits_up_to_the_limit_pass_and_the_next_is_refused(clock):
    for _ in range(RATE.limit):
        RATE.hit("ann")
    with pytest.raises(Throttled) as refused:
        RATE.hit("ann")
    assert refused.value.retry_after == 40
    assert refused.value.wait_text == "40 seconds"


def test_each_key_has_its_own_count(clock):
    for _ in range(RATE.limit):
        RATE.hit("ann")
    RATE.hit("bob")


def test_the_count_starts_again_with_the_next_window(clock):
    for _ in range(RATE.limit):
        RATE.hit("ann")
    clock.append(NOON + timedelta(seconds=40))
    RATE.hit("ann")


def test_check_refuses_once_the_limit_is_used_and_counts_nothing(clock):
    RATE.check("ann")
    for _ in range(RATE.limit):
        RATE.record("ann")
    with pytest.raises(Throttled):
        RATE.check("ann")
    assert Counter.objects.get().count == RATE.limit


def test_reset_forgets_a_key(clock):
    for _ in range(RATE.limit):
        RATE.record("ann")
    RATE.reset("ann")
    RATE.check("ann")


def test_prune_deletes_only_ended_windows(clock):
    RATE.hit("old")
    clock.append(NOON + timedelta(minutes=5))
    RATE.hit("new")
    assert prune() == 1
    assert list(Counter.objects.values_list("key", flat=True)) == ["new"]


def test_wait_text_rounds_minutes_up():
    assert Throttled(RATE, 14 * 60 + 1).wait_text == "15 minutes"
    assert Throttled(RATE, 1).wait_text == "1 second"


@pytest.mark.django_db(transaction=True)
def test_hits_at_once_are_each_counted():
    barrier = threading.Barrier(4)
    refused: list[bool] = []

    def hit() -> None:
        try:
            barrier.wait()
            RATE.hit("ann")
            refused.append(False)
        except Throttled:
            refused.append(True)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # All four in one window unless the minute turned between them; either way none is lost.
    assert sum(Counter.objects.values_list("count", flat=True)) == 4


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.7", "", False, "203.0.113.7"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.9", False, "10.0.0.2"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.9", True, "203.0.113.9"),
        ("10.0.0.2", "", True, "10.0.0.2"),
        ("2001:db8:1:2:3:4:5:6", "", False, "2001:db8:1:2::/64"),
    ],
)
def test_client_address(settings, remote, forwarded, trusted, expected):
    settings.USE_X_FORWARDED_FOR = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# Log-in


def log_in(client, username: str, password: str, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, clock):
    make_user("ginko", password="right password")
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit - 1):
        assert log_in(client, "ginko", "wrong").status_code == 200
    response = log_in(client, "ginko", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60 - 20)
    assert "Too many failed log-in attempts for this account. Try again in 15 minutes." in (
        response.text
    )
    # Locked: even the right password is not checked until the window ends.
    assert log_in(client, "ginko", "right password").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_with_its_window(client, clock):
    make_user("ginko", password="right password")
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit):
        log_in(client, "GINKO", "wrong")
    clock.append(NOON + timedelta(minutes=15))
    assert log_in(client, "ginko", "right password").status_code == 302


def test_a_successful_log_in_clears_the_accounts_failures(client, clock):
    make_user("ginko", password="right password")
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit - 1):
        log_in(client, "ginko", "wrong")
    assert log_in(client, "ginko", "right password").status_code == 302
    client.logout()
    assert log_in(client, "ginko", "wrong").status_code == 200


def test_one_address_trying_many_accounts_is_locked_out(client, clock):
    for n in range(LOGIN_FAILURES_PER_ADDRESS.limit - 1):
        assert log_in(client, f"user{n}", "guess").status_code == 200
    response = log_in(client, "someone", "guess")
    assert response.status_code == 429
    assert "Too many failed log-in attempts from your network." in response.text
    # Another address is not locked out.
    assert log_in(client, "someone", "guess", REMOTE_ADDR="198.51.100.4").status_code == 200


def test_the_admin_log_in_is_locked_out_the_same_way(client, clock):
    make_superuser("boss", password="right password")
    url = reverse("admin:login")
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit):
        assert client.post(url, {"username": "boss", "password": "wrong"}).status_code == 200
    response = client.post(url, {"username": "boss", "password": "right password"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts for this account." in response.text
    assert "_auth_user_id" not in client.session
    clock.append(NOON + timedelta(minutes=15))
    assert client.post(url, {"username": "boss", "password": "right password"}).status_code == 302


def test_password_reset_e_mails_from_one_address_are_limited(client, clock, mailoutbox):
    make_user("ginko")
    url = reverse("accounts:password-reset")
    for _ in range(PASSWORD_RESETS_PER_ADDRESS.limit):
        assert client.post(url, {"email": "ginko@example.com"}).status_code == 302
    assert client.post(url, {"email": "ginko@example.com"}).status_code == 429
    assert len(mailoutbox) == PASSWORD_RESETS_PER_ADDRESS.limit


# Sign-up


def sign_up(client, n: int):
    data = {
        "username": f"new{n}",
        "email": f"new{n}@example.org",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
    }
    return client.post(reverse("accounts:signup"), data)


def test_sign_ups_from_one_address_are_limited_with_a_friendly_page(client, clock):
    for n in range(SIGN_UPS_PER_ADDRESS.limit):
        assert sign_up(client, n).status_code == 302
        client.logout()
    response = sign_up(client, 99)
    assert response.status_code == 429
    assert response["Retry-After"] == str(60 * 60 - 20)
    assert "Too many new accounts were made from your network" in response.text
    assert "please try again in 60 minutes" in response.text
    assert '<a class="logo"' in response.text  # the site's layout


# List writes


def test_list_writes_over_the_limit_are_refused(client, clock):
    user = make_user("ginko")
    client.force_login(user)
    anime = make_anime()
    for _ in range(LIST_WRITES.limit - 1):
        LIST_WRITES.hit(str(user.pk))
    url = reverse("userlists:update-entry", args=[anime.slug])
    assert client.post(url, {"status": "watching"}).status_code == 302
    response = client.post(url, {"status": "watched"})
    assert response.status_code == 429
    assert "You are changing your list too fast." in response.text
    assert ListEntry.objects.get().status == "watching"


def test_an_htmx_write_over_the_limit_gets_the_message_for_the_alert_area(client, clock):
    user = make_user("ginko")
    client.force_login(user)
    anime = make_anime()
    for _ in range(LIST_WRITES.limit):
        LIST_WRITES.hit(str(user.pk))
    response = client.post(
        reverse("userlists:remove-entry", args=[anime.slug]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#site-alert"
    assert "<html" not in response.text
    assert "You are changing your list too fast." in response.text
