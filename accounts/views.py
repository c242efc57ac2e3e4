from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from accounts.emails import EMAIL_TAKEN, is_duplicate_email
from accounts.forms import SettingsForm, SignupForm
from accounts.limits import (
    PASSWORD_RESETS_PER_ADDRESS,
    SIGN_UPS_PER_ADDRESS,
    check_log_in,
    count_failed_log_in,
    count_log_in,
)
from accounts.models import Profile
from throttle.http import client_address
from throttle.models import Throttled


def safe_next(request: HttpRequest) -> str | None:
    """The `next` URL from the form or query, if it stays on this site (no open redirects)."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


class LoginView(auth_views.LoginView):
    """Django's log-in, with failed attempts counted per username and per address.

    Over either limit, the password is not even checked: the form comes back with a 429 that
    says how long to wait. A successful log-in clears the username's count.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            check_log_in(request, self.username())
        except Throttled as throttled:
            return self.locked_out(throttled)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        count_log_in(self.username())
        return super().form_valid(form)

    def form_invalid(self, form) -> HttpResponse:
        if self.request.POST.get("password") and self.username():
            count_failed_log_in(self.request, self.username())
            try:
                check_log_in(self.request, self.username())
            except Throttled as throttled:
                return self.locked_out(throttled)
        return super().form_invalid(form)

    def username(self) -> str:
        return self.request.POST.get("username", "")

    def locked_out(self, throttled: Throttled) -> HttpResponse:
        form = self.get_form_class()(self.request, initial={"username": self.username()})
        lockout = f"{throttled.rate.message} Try again in {throttled.wait_text}."
        response = self.render_to_response(self.get_context_data(form=form, lockout=lockout))
        response.status_code = 429
        response["Retry-After"] = str(throttled.retry_after)
        return response

    def get_default_redirect_url(self) -> str:
        # Without a `next`, the user lands on their own profile rather than a fixed page.
        return Profile.of(self.request.user).get_absolute_url()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the e-mails one address may ask for limited."""

    def form_valid(self, form) -> HttpResponse:
        PASSWORD_RESETS_PER_ADDRESS.hit(client_address(self.request))
        return super().form_valid(form)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request) or Profile.of(request.user).get_absolute_url())
    form = SignupForm(request.POST or None)
    if form.is_valid():
        SIGN_UPS_PER_ADDRESS.hit(client_address(request))
        try:
            user = form.save()
        except IntegrityError as error:
            # Someone took the username or the address between the form's check and the insert.
            if is_duplicate_email(error):
                form.add_error("email", EMAIL_TAKEN)
            else:
                form.add_error("username", "A user with that username already exists.")
        else:
            login(request, user)
            return redirect(safe_next(request) or user.profile.get_absolute_url())
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request)})


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    profile_user = get_object_or_404(
        get_user_model().objects.select_related("profile"), username=username
    )
    profile = Profile.of(profile_user)
    context = {
        "profile_user": profile_user,
        "profile": profile,
        "is_owner": request.user == profile_user,
        "list_visible": profile.list_visible_to(request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    profile, _ = Profile.objects.get_or_create(user=request.user)
    form = SettingsForm(request.POST or None, instance=profile)
    if form.is_valid():
        try:
            form.save()
        except IntegrityError as error:
            # Another account took the address between the form's check and the update.
            if not is_duplicate_email(error):
                raise
            form.add_error("email", EMAIL_TAKEN)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})
