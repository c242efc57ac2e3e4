"""The admin site, with the same brute-force protection on its log-in as the site's own."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts.limits import check_log_in, count_failed_log_in, count_log_in
from throttle.http import too_many_requests
from throttle.models import Throttled


class AnimedexAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method != "POST":
            return super().login(request, extra_context)
        username = request.POST.get("username", "")
        try:
            check_log_in(request, username)
        except Throttled as throttled:
            return too_many_requests(request, throttled)
        response = super().login(request, extra_context)
        # Django's log-in view redirects on success and shows the form again on failure.
        if response.status_code == 302:
            count_log_in(username)
        elif request.POST.get("password") and username:
            count_failed_log_in(request, username)
        return response
