from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from psycopg_pool import PoolTimeout

RETRY_AFTER_SECONDS = 5

logger = logging.getLogger(__name__)


def database_unavailable(exception: BaseException | None) -> bool:
    """The database could not answer: every pooled connection busy past the pool's timeout
    (PoolTimeout), the server down or restarting (connection refused, "terminating connection
    due to administrator command"), or a connection that died under the request."""
    return isinstance(exception, OperationalError | InterfaceError | PoolTimeout)


def unavailable_response() -> HttpResponse:
    """503 with Retry-After, from a standalone template that needs no database to render."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """Answer 503 with Retry-After when the database cannot answer in time.

    A busy or restarting database means the site is overloaded or briefly down, not broken: a
    500 would page someone and tell clients nothing, while 503 tells them (and load balancers)
    to come back. Errors raised outside a view (a session read in a middleware) reach the same
    page through `config.views.server_error`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        # A warning, not an error with a traceback: the cause is elsewhere, and it passes.
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return unavailable_response()


class RejectNullCharactersMiddleware:
    """Answer 400 to a URL, query string or form value with a NUL character in it.

    PostgreSQL text cannot hold NUL, so such a value reaching any query (a username in the path,
    a filter) would fail as a 500. No legitimate request carries one; forms reject them already,
    and this catches the values that views read without a form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for data in sources
            for key, values in data.lists()
        ):
            raise SuspiciousOperation("A NUL character in the request")
        return self.get_response(request)
