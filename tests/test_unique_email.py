"""One account per e-mail address, whatever its case: the database's unique index, and the
clear message every way of making or changing an account gives instead of a 500."""

from __future__ import annotations

import builtins
import getpass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts import forms
from accounts.emails import EMAIL_TAKEN, UNIQUE_EMAIL_INDEX, is_duplicate_email
from tests.factories import make_superuser, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery"


def test_the_database_refuses_an_address_another_account_has_in_any_case():
    User.objects.create_user("ann", "Ann@Example.com")
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        User.objects.create_user("annie", "ann@example.COM")
    assert is_duplicate_email(refused.value)


def test_the_database_allows_many_accounts_without_an_address():
    User.objects.create_user("first", "")
    User.objects.create_user("second", "")
    assert User.objects.filter(email="").count() == 2


def test_another_integrity_error_is_not_taken_for_a_duplicate_address():
    User.objects.create_user("ann", "ann@example.com")
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        User.objects.create_user("ann", "other@example.com")
    assert not is_duplicate_email(refused.value)


def test_the_index_is_a_unique_index_on_the_lowercased_address():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [UNIQUE_EMAIL_INDEX])
        (definition,) = cursor.fetchone()
    assert definition.startswith(f"CREATE UNIQUE INDEX {UNIQUE_EMAIL_INDEX} ON public.auth_user")
    assert "lower((email)::text)" in definition
    assert "WHERE ((email)::text <> ''::text)" in definition


# Sign-up and settings


def signup(client, email: str):
    return client.post(
        reverse("accounts:signup"),
        {"username": "newcomer", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_with_a_taken_address_is_a_form_error(client):
    make_user("ann")  # ann@example.com
    response = signup(client, "ANN@example.com")
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.text
    assert not User.objects.filter(username="newcomer").exists()


def test_sign_up_racing_another_for_the_address_is_a_form_error(client, monkeypatch):
    make_user("ann")
    # The other sign-up is written after this form's check: only the database sees it.
    monkeypatch.setattr(forms, "email_is_taken", lambda *args, **kwargs: False)
    response = signup(client, "ann@example.com")
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.text
    assert not User.objects.filter(username="newcomer").exists()
    assert "_auth_user_id" not in client.session


def test_settings_racing_another_for_the_address_are_a_form_error(client, monkeypatch):
    make_user("ann")
    client.force_login(make_user("bob"))
    monkeypatch.setattr(forms, "email_is_taken", lambda *args, **kwargs: False)
    response = client.post(
        reverse("accounts:settings"), {"email": "Ann@example.com", "list_is_public": "True"}
    )
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.text
    assert User.objects.get(username="bob").email == "bob@example.com"


# The admin


def user_form(user, **fields) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "profile-TOTAL_FORMS": "0",
        "profile-INITIAL_FORMS": "0",
        **fields,
    }


def test_the_admin_refuses_an_address_another_account_has(client):
    client.force_login(make_superuser())
    make_user("ann")
    bob = make_user("bob")
    response = client.post(
        reverse("admin:auth_user_change", args=[bob.pk]), user_form(bob, email="ANN@example.com")
    )
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.text
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_the_admin_saves_a_user_keeping_their_own_address(client):
    client.force_login(make_superuser())
    bob = make_user("bob")
    response = client.post(
        reverse("admin:auth_user_change", args=[bob.pk]),
        user_form(bob, email="Bob@example.com", first_name="Bob"),
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.first_name, bob.email) == ("Bob", "Bob@example.com")


# createsuperuser


def test_createsuperuser_refuses_a_taken_address_with_a_message():
    make_user("ann")
    with pytest.raises(CommandError, match=EMAIL_TAKEN):
        call_command("createsuperuser", interactive=False, username="root", email="ANN@example.com")
    assert not User.objects.filter(username="root").exists()


def test_createsuperuser_asks_again_for_a_taken_address(monkeypatch):
    make_user("ann")
    answers = iter(["root", "ann@example.com", "root@example.com"])
    monkeypatch.setattr(builtins, "input", lambda message="": next(answers))
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": PASSWORD)

    class Terminal(StringIO):
        def isatty(self) -> bool:
            return True

    errors = StringIO()
    call_command(
        "createsuperuser", interactive=True, stdin=Terminal(), stdout=StringIO(), stderr=errors
    )
    assert f"Error: {EMAIL_TAKEN}" in errors.getvalue()
    assert User.objects.get(username="root").email == "root@example.com"


def test_createsuperuser_still_allows_no_address():
    call_command("createsuperuser", interactive=False, username="root", email="", stdout=StringIO())
    call_command(
        "createsuperuser", interactive=False, username="groot", email="", stdout=StringIO()
    )
    assert User.objects.filter(is_superuser=True, email="").count() == 2
