"""Shortcuts for browser tests whose subject is not the log-in form itself."""

from __future__ import annotations

from django.conf import settings
from django.test import Client


def log_in_as(context, base_url: str, user) -> None:
    """Gives the browser context a logged-in session for `user`, without going through the form."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": session.key, "value": session.value, "url": base_url}])
