from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.middleware import database_unavailable, unavailable_response

logger = logging.getLogger(__name__)

# What a 500 says when even the styled page cannot be rendered.
PLAIN_SERVER_ERROR = (
    "<!doctype html><title>Server error · Animedex</title>"
    "<h1>Something went wrong</h1><p>Please try again in a moment.</p>"
)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and serving (liveness): for load balancers, and the benchmarks' baseline.

    It touches no database on purpose: a slow database should make pages slow, not make a
    load balancer take every web process out of service at once.
    """
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """The process can serve pages (readiness): it gets a database connection and a reply."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Not ready: %s", error)
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the database being down is a 503 wherever it was noticed, a middleware
    included (process_exception only sees the view's exceptions); anything else is a 500.

    The 500 page is styled like the site, with neither database nor request context. Whatever
    broke may break the styled page too (a missing static manifest, say): then a few words of
    plain HTML rather than a second exception.
    """
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response()
    try:
        body = render_to_string("500.html")
    except Exception:
        logger.exception("The 500 page could not be rendered")
        body = PLAIN_SERVER_ERROR
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: a page in the site's layout that says what to do.

    CsrfViewMiddleware logs the reason already (logger django.security.csrf).
    """
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))
