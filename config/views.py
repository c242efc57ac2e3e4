from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and serving: for load balancers, and the benchmarks' baseline.

    It touches no database on purpose: a slow database should make pages slow, not make a
    load balancer take every web process out of service at once.
    """
    return HttpResponse("ok", content_type="text/plain")
