"""Whole pages for anonymous visitors, from a cache filed under a version number.

A catalog page costs tens of milliseconds to build and a cache hit well under one. Each cached
copy is filed under the version of what it shows: the anime's `page_version` for its page, the
`CatalogVersion` for the list pages. Every write bumps the version in its own transaction, so
the next reader asks for a key nobody has filled and gets a fresh page: no stale "User Stats"
after a status click, and no invalidation to forget. Old copies simply age out of the cache.

Logged-in visitors always get a page built for them (their header, their list widget).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from catalog.http import HtmxHttpRequest
from catalog.models import Anime, CatalogVersion

PAGE_TIMEOUT = 60 * 60

type View = Callable[..., HttpResponse]
type Version = Callable[..., int | None]


def cached_for_anonymous(version: Version) -> Callable[[View], View]:
    """Serve anonymous GETs of the view from the cache, under `version(request, **kwargs)`.

    A version of None means "don't cache" (an unknown anime: the view answers 404).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "GET" or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            stamp = version(request, *args, **kwargs)
            if stamp is None:
                return view(request, *args, **kwargs)
            key = page_key(request, stamp)
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                # A page that sets a cookie (a CSRF token) belongs to one visitor alone.
                if response.status_code == 200 and not response.cookies:
                    cache.set(key, response, PAGE_TIMEOUT)
            return response

        return wrapper

    return decorator


def page_key(request: HtmxHttpRequest, version: int) -> str:
    # The fragment htmx asks for and the full page share a URL: HX-Request tells them apart.
    identity = f"{version}|{bool(request.htmx)}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(identity.encode()).hexdigest()


def anime_page_version(request: HtmxHttpRequest, slug: str) -> int | None:
    return Anime.objects.filter(slug=slug).values_list("page_version", flat=True).first()


def catalog_version(request: HtmxHttpRequest, **kwargs) -> int:
    return CatalogVersion.current()
