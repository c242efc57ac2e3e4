"""Who a request comes from, and the friendly 429 page."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from throttle.models import Rate, Throttled

type View = Callable[..., HttpResponse]


def client_address(request: HttpRequest) -> str:
    """The address to count a visitor's actions under.

    REMOTE_ADDR, unless settings.USE_X_FORWARDED_FOR says a proxy of ours stands in front: then
    the last address in X-Forwarded-For, the one that proxy appended (anything before it came
    from the client and could be made up). An IPv6 address counts as its /64 network: one
    machine usually has a whole /64 to pick addresses from.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-1]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100] or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def too_many_requests(request: HttpRequest, throttled: Throttled) -> HttpResponse:
    """429 with Retry-After: the page in the site's layout, or for htmx just its message, which
    htmx puts in the page's alert area (templates/base.html)."""
    context = {"message": throttled.rate.message, "retry_after_text": throttled.wait_text}
    template = "429.html#throttled-message" if getattr(request, "htmx", False) else "429.html"
    response = HttpResponse(render_to_string(template, context, request=request), status=429)
    response["Retry-After"] = str(throttled.retry_after)
    if getattr(request, "htmx", False):
        response["HX-Retarget"] = "#site-alert"
        response["HX-Reswap"] = "innerHTML"
    return response


def limit_posts_per_user(rate: Rate) -> Callable[[View], View]:
    """Count each POST to the view against `rate`, per signed-in user; over it, the 429 page.

    Goes under @login_required: an anonymous POST never gets this far.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                rate.hit(str(request.user.pk))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class ThrottleMiddleware:
    """Turn a Throttled exception from any view into the 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Throttled):
            return too_many_requests(request, exception)
        return None
