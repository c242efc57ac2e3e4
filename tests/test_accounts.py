from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from accounts.privacy import can_see_list, visible_lists
from tests.factories import make_anime, make_superuser, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()

SIGNUP_URL = reverse("accounts:signup")
LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
SETTINGS_URL = reverse("accounts:settings")
PASSWORD_CHANGE_URL = reverse("accounts:password-change")
PASSWORD_RESET_URL = reverse("accounts:password-reset")
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def profile_url(username: str) -> str:
    return reverse("accounts:profile", kwargs={"username": username})


def signup_data(**overrides: str) -> dict[str, str]:
    return {
        "username": "ann",
        "email": "ann@example.com",
        "password1": "velvet otter lantern",
        "password2": "velvet otter lantern",
        **overrides,
    }


def logged_in_user_id(client) -> int | None:
    return client.session.get("_auth_user_id") and int(client.session["_auth_user_id"])


def errors_of(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# Sign up


def test_signup_page_asks_for_username_email_and_password_twice(client):
    html = client.get(SIGNUP_URL).text
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in html


def test_signup_creates_the_user_with_a_public_profile(client):
    client.post(SIGNUP_URL, signup_data())
    user = User.objects.get(username="ann")
    assert user.email == "ann@example.com"
    assert user.check_password("velvet otter lantern")
    assert user.profile.list_is_public


def test_signup_logs_the_user_in_and_shows_their_profile(client):
    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    assert response.url == profile_url("ann")
    assert logged_in_user_id(client) == User.objects.get(username="ann").pk


def test_signup_returns_to_a_page_on_this_site(client):
    response = client.post(SIGNUP_URL + "?next=/anime/", signup_data())
    assert response.url == "/anime/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_signup_refuses_to_redirect_off_site(client, next_url):
    response = client.post(SIGNUP_URL, {**signup_data(), "next": next_url})
    assert response.url == profile_url("ann")


def test_signup_keeps_next_in_the_form(client):
    html = client.get(SIGNUP_URL, {"next": "/anime/"}).text
    assert '<input type="hidden" name="next" value="/anime/">' in html


def test_signup_with_mismatched_passwords_says_so(client):
    response = client.post(SIGNUP_URL, signup_data(password2="something else entirely"))
    assert response.status_code == 200
    assert errors_of(response, "password2") == ["The two password fields didn’t match."]
    assert not User.objects.exists()


def test_signup_with_a_weak_password_shows_the_validators_errors(client):
    response = client.post(SIGNUP_URL, signup_data(password1="12345678", password2="12345678"))
    errors = errors_of(response, "password2")
    assert "This password is too common." in errors
    assert "This password is entirely numeric." in errors
    assert not User.objects.exists()


def test_signup_with_a_taken_username_in_another_case_says_so(client):
    make_user("Ann")
    response = client.post(SIGNUP_URL, signup_data(username="ann"))
    assert errors_of(response, "username") == ["A user with that username already exists."]
    assert User.objects.count() == 1


def test_signup_with_a_taken_email_in_another_case_says_so(client):
    make_user("bob")
    User.objects.filter(username="bob").update(email="Ann@Example.com")
    response = client.post(SIGNUP_URL, signup_data(email="ann@example.COM"))
    assert errors_of(response, "email") == ["An account with this e-mail address already exists."]
    assert not User.objects.filter(username="ann").exists()


def test_signup_requires_an_email(client):
    response = client.post(SIGNUP_URL, signup_data(email=""))
    assert errors_of(response, "email") == ["This field is required."]


def test_signup_shows_errors_next_to_the_fields(client):
    html = client.post(SIGNUP_URL, signup_data(password2="nope")).text
    assert '<ul class="errorlist" id="id_password2_error">' in html


def test_signup_without_a_csrf_token_is_refused():
    response = Client(enforce_csrf_checks=True).post(SIGNUP_URL, signup_data())
    assert response.status_code == 403
    assert not User.objects.exists()


def test_signup_sends_a_logged_in_user_to_their_profile(client):
    client.force_login(make_user("ann"))
    assert client.get(SIGNUP_URL).url == profile_url("ann")


# Log in and out


def test_login_page_keeps_next_in_the_form(client):
    html = client.get(LOGIN_URL, {"next": "/anime/"}).text
    assert '<input type="hidden" name="next" value="/anime/">' in html


def test_login_without_next_shows_the_users_profile(client):
    user = make_user("ann")
    response = client.post(LOGIN_URL, {"username": "ann", "password": PASSWORD})
    assert response.url == profile_url("ann")
    assert logged_in_user_id(client) == user.pk


def test_login_returns_to_next(client):
    make_user("ann")
    response = client.post(
        LOGIN_URL, {"username": "ann", "password": PASSWORD, "next": "/anime/?q=bebop"}
    )
    assert response.url == "/anime/?q=bebop"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_login_refuses_to_redirect_off_site(client, next_url):
    make_user("ann")
    response = client.post(LOGIN_URL, {"username": "ann", "password": PASSWORD, "next": next_url})
    assert response.url == profile_url("ann")


def test_login_with_a_wrong_password_says_so(client):
    make_user("ann")
    response = client.post(LOGIN_URL, {"username": "ann", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.text
    assert logged_in_user_id(client) is None


def test_logout_by_get_is_not_allowed(client):
    client.force_login(make_user())
    assert client.get(LOGOUT_URL).status_code == 405
    assert logged_in_user_id(client) is not None


def test_logout_by_post_logs_out_and_shows_the_catalog(client):
    client.force_login(make_user())
    response = client.post(LOGOUT_URL)
    assert response.url == reverse("catalog:anime-list")
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize(
    "url", [SETTINGS_URL, PASSWORD_CHANGE_URL, reverse("accounts:password-change-done")]
)
def test_pages_for_signed_in_users_send_others_to_log_in_and_back(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={url}"


# Password change


def test_password_change_sets_the_new_password_and_keeps_the_user_logged_in(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        PASSWORD_CHANGE_URL,
        {
            "old_password": PASSWORD,
            "new_password1": "quiet maple harbour",
            "new_password2": "quiet maple harbour",
        },
    )
    assert response.url == reverse("accounts:password-change-done")
    user.refresh_from_db()
    assert user.check_password("quiet maple harbour")
    assert logged_in_user_id(client) == user.pk


def test_password_change_with_a_wrong_old_password_says_so(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        PASSWORD_CHANGE_URL,
        {"old_password": "wrong", "new_password1": "quiet maple", "new_password2": "quiet maple"},
    )
    assert errors_of(response, "old_password") == [
        "Your old password was entered incorrectly. Please enter it again."
    ]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# Password reset


def reset_link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_password_reset_by_email_end_to_end(client, mailoutbox):
    user = make_user("ann")
    response = client.post(PASSWORD_RESET_URL, {"email": "ANN@example.com"})
    assert response.url == reverse("accounts:password-reset-done")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ann@example.com"]
    assert message.subject == "Reset your Animedex password"
    assert '"ann"' in message.body

    # The link swaps its token for a session-held one, then shows the form.
    set_password_url = client.get(reset_link(message)).url
    assert "Choose a new password" in client.get(set_password_url).text
    response = client.post(
        set_password_url,
        {"new_password1": "quiet maple harbour", "new_password2": "quiet maple harbour"},
    )
    assert response.url == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password("quiet maple harbour")


def test_a_used_password_reset_link_no_longer_works(client, mailoutbox):
    make_user("ann")
    client.post(PASSWORD_RESET_URL, {"email": "ann@example.com"})
    link = reset_link(mailoutbox[0])
    set_password_url = client.get(link).url
    new_password = {"new_password1": "quiet maple harbour", "new_password2": "quiet maple harbour"}
    client.post(set_password_url, new_password)
    assert "This link no longer works" in client.get(link).text


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(PASSWORD_RESET_URL, {"email": "nobody@example.com"})
    assert response.url == reverse("accounts:password-reset-done")
    assert mailoutbox == []


# Profile page


def test_profile_page_shows_the_username_and_membership_date(client):
    user = make_user("ann", about="Mostly mecha.")
    User.objects.filter(pk=user.pk).update(date_joined="2024-03-05T12:00:00Z")
    html = client.get(profile_url("ann")).text
    assert '<h1 id="profile-heading">ann</h1>' in html
    assert "Member since March 5, 2024" in html
    assert "Mostly mecha." in html


def test_profile_page_has_a_place_for_the_list_statistics(client):
    make_user("ann")
    assert 'id="list-stats"' in client.get(profile_url("ann")).text


def test_profile_page_of_an_unknown_user_is_404(client):
    assert client.get(profile_url("nobody")).status_code == 404


def test_profile_page_refuses_post(client):
    make_user("ann")
    assert client.post(profile_url("ann")).status_code == 405


def test_profile_page_of_a_user_without_a_profile_row_shows_a_public_list(client):
    User.objects.create_user("old", "old@example.com", PASSWORD)
    response = client.get(profile_url("old"))
    assert response.status_code == 200
    assert response.context["list_visible"]
    assert not Profile.objects.exists()


def test_profile_page_of_a_private_list_says_so_to_others(client):
    make_user("ann", list_is_public=False)
    client.force_login(make_user("bob"))
    response = client.get(profile_url("ann"))
    assert not response.context["list_visible"]
    assert "ann’s list is private." in response.text


def test_profile_page_of_a_private_list_shows_it_to_its_owner(client):
    client.force_login(make_user("ann", list_is_public=False))
    response = client.get(profile_url("ann"))
    assert response.context["list_visible"]
    assert "Your list is private: only you can see it." in response.text


def test_profile_page_runs_four_queries_for_an_anonymous_visitor(client, django_assert_num_queries):
    make_user("ann")
    # The user, with their profile joined in; the list's totals; its rating distribution; the
    # latest reviews with their count.
    with django_assert_num_queries(4):
        client.get(profile_url("ann"))


def test_anonymous_profile_page_carries_no_csrf_token_and_sets_no_cookie(client):
    make_user("ann")
    response = client.get(profile_url("ann"))
    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies


# Settings


def test_settings_show_the_current_email_and_privacy(client):
    client.force_login(make_user("ann", list_is_public=False))
    html = client.get(SETTINGS_URL).text
    assert 'value="ann@example.com"' in html
    assert re.search(r'<input type="radio" name="list_is_public" value="False"[^>]* checked', html)


def test_settings_make_the_list_private_and_change_the_email(client):
    user = make_user("ann")
    client.force_login(user)
    response = client.post(
        SETTINGS_URL, {"email": "ann@example.org", "list_is_public": "False", "about": "Hi"}
    )
    assert response.url == SETTINGS_URL
    user.refresh_from_db()
    assert user.email == "ann@example.org"
    assert not user.profile.list_is_public
    assert user.profile.about == "Hi"


def test_settings_make_a_private_list_public_again(client):
    user = make_user(list_is_public=False)
    client.force_login(user)
    client.post(SETTINGS_URL, {"email": user.email, "list_is_public": "True"})
    user.profile.refresh_from_db()
    assert user.profile.list_is_public


def test_settings_confirm_the_save(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        SETTINGS_URL, {"email": user.email, "list_is_public": "True"}, follow=True
    )
    assert "Your settings are saved." in response.text


def test_settings_refuse_an_email_taken_in_another_case(client):
    make_user("bob")
    user = make_user("ann")
    client.force_login(user)
    response = client.post(SETTINGS_URL, {"email": "BOB@example.com", "list_is_public": "True"})
    assert errors_of(response, "email") == ["An account with this e-mail address already exists."]
    user.refresh_from_db()
    assert user.email == "ann@example.com"


def test_settings_require_a_privacy_answer(client):
    user = make_user()
    client.force_login(user)
    response = client.post(SETTINGS_URL, {"email": user.email})
    assert errors_of(response, "list_is_public") == ["This field is required."]


def test_settings_create_the_profile_of_a_user_who_has_none(client):
    user = User.objects.create_user("old", "old@example.com", PASSWORD)
    client.force_login(user)
    client.post(SETTINGS_URL, {"email": "old@example.com", "list_is_public": "False"})
    assert not Profile.objects.get(user=user).list_is_public


# Who may see a list


def test_everyone_may_see_a_public_list(client):
    owner = make_user()
    assert can_see_list(owner, make_user())
    assert can_see_list(owner, client.get("/healthz/").wsgi_request.user)


def test_only_the_owner_and_staff_may_see_a_private_list(client):
    owner = make_user(list_is_public=False)
    anonymous = client.get("/healthz/").wsgi_request.user
    assert can_see_list(owner, owner)
    assert can_see_list(owner, make_superuser())
    assert not can_see_list(owner, make_user())
    assert not can_see_list(owner, anonymous)


def test_a_user_without_a_profile_row_has_a_public_list():
    owner = User.objects.create_user("old")
    assert can_see_list(owner, make_user())


def test_visible_lists_filters_out_private_lists_for_others(client):
    public, private = make_user(), make_user(list_is_public=False)
    no_profile = User.objects.create_user("old")
    anonymous = client.get("/healthz/").wsgi_request.user
    viewer = make_user()
    assert set(User.objects.filter(visible_lists(anonymous, owner=""))) == {
        public,
        no_profile,
        viewer,
    }
    assert private not in User.objects.filter(visible_lists(viewer, owner=""))
    assert private in User.objects.filter(visible_lists(private, owner=""))
    assert private in User.objects.filter(visible_lists(make_superuser(), owner=""))


# The header


def test_header_offers_sign_up_returning_to_the_page(client):
    html = client.get(reverse("catalog:anime-list"), {"q": "x"}).text
    assert 'href="/accounts/signup/?next=/anime/%3Fq%3Dx"' in html
    assert "Log out" not in html


def test_header_shows_a_signed_in_user_their_profile_and_a_logout_form(client):
    client.force_login(make_user("ann"))
    html = client.get(make_anime().get_absolute_url()).text
    assert f'<a href="{profile_url("ann")}">ann</a>' in html
    assert f'<form class="logout-form" method="post" action="{LOGOUT_URL}">' in html
    assert "csrfmiddlewaretoken" in html
    assert "Log in" not in html


# Admin


def test_admin_lists_profiles(client):
    make_user()
    client.force_login(make_superuser())
    assert client.get(reverse("admin:accounts_profile_changelist")).status_code == 200


def test_admin_shows_the_profile_on_the_users_page(client):
    user = make_user(about="Mostly mecha.")
    client.force_login(make_superuser())
    response = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert "Mostly mecha." in response.text
