from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from psycopg_pool import PoolTimeout

RETRY_AFTER_SECONDS = 5


class DatabaseBusyMiddleware:
    """Answer 503 with Retry-After when no database connection frees up in time.

    Every pooled connection busy means the site is overloaded, not broken: a 500 would page
    someone and tell clients nothing, while 503 tells them (and load balancers) to come back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError) and isinstance(exception.__cause__, PoolTimeout):
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return None
