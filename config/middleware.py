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
    """Answer 400 to a URL with a NUL character in its path.

    PostgreSQL text cannot hold NUL, so a path segment looked up as it is (a username, a slug)
    would fail as a 500. Query strings and forms are the views' to clean: the catalog's filters
    ignore such a value and say so, forms refuse it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise SuspiciousOperation("A NUL character in the path")
        return self.get_response(request)
