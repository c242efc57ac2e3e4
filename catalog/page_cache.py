"""Whole pages for anonymous visitors, from a cache filed under a version number.

A catalog page costs tens of milliseconds to build and a cache hit well under one. Each cached
copy is filed under the version of what it shows: the anime's `page_version` for its page, the
`CatalogVersion` for the list pages. Every write bumps the version in its own transaction, so
the next reader asks for a key nobody has filled and gets a fresh page: no stale "User Stats"
after a status click, and no invalidation to forget. Old copies simply age out of the cache.

Logged-in visitors always get a page built for them (their header, their list widget), marked
private so no shared cache keeps it.

Browsers revalidate: a cached page carries an ETag made of the same key (plus the code's
fingerprint, so a new release never answers 304 with yesterday's markup), and a request whose
If-None-Match still matches gets a 304 for the price of the version lookup: no page is built or
even read from the cache. `Vary: Cookie, HX-Request` keeps browsers and proxies from mixing a
member's page with the anonymous one, or the htmx fragment with the full page.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache as once
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from catalog.http import HtmxHttpRequest
from catalog.models import Anime, CatalogVersion

PAGE_TIMEOUT = 60 * 60

type View = Callable[..., HttpResponse]
type Version = Callable[..., int | str | None]


def cached_for_anonymous(version: Version) -> Callable[[View], View]:
    """Serve anonymous GETs of the view from the cache, under `version(request, **kwargs)`.

    A version of None means "don't cache" (an unknown anime: the view answers 404).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "GET":
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                return vary_by_visitor(response)
            stamp = version(request, *args, **kwargs)
            if stamp is None:
                return view(request, *args, **kwargs)
            key = page_key(request, stamp)
            etag = quote_etag(key.removeprefix("page:")[:32])
            response = get_conditional_response(request, etag=etag)
            if response is None:
                response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                # A page that sets a cookie (a CSRF token) belongs to one visitor alone.
                if response.status_code != 200 or response.cookies:
                    return response
                cache.set(key, response, PAGE_TIMEOUT)
            response.headers["ETag"] = etag
            # Browsers may keep the page but must ask each time: the 304 keeps that cheap.
            patch_cache_control(response, no_cache=True)
            return vary_by_visitor(response)

        return wrapper

    return decorator


def vary_by_visitor(response: HttpResponse) -> HttpResponse:
    # The page differs for members (Cookie) and for htmx's fragment requests (HX-Request).
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


def page_key(request: HtmxHttpRequest, version: int | str) -> str:
    # The fragment htmx asks for and the full page share a URL: HX-Request tells them apart.
    identity = f"{code_fingerprint()}|{version}|{bool(request.htmx)}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(identity.encode()).hexdigest()


@once
def code_fingerprint() -> str:
    """A digest of the code, templates and static sources this process runs.

    A deployment changes it, so browsers' ETags from the previous release stop matching (and a
    shared cache would not serve the old markup). It is content, not file times, so every worker
    and every machine of one release agree. RELEASE (a commit id, say) skips the reading.
    """
    if release := os.environ.get("RELEASE"):
        return release
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted(source_files(root)):
        digest.update(str(path).encode())
        digest.update((root / path).read_bytes())
    return digest.hexdigest()[:16]


def source_files(root: Path) -> list[Path]:
    """The files under `root` that make up the pages, relative to it."""
    found = []
    for folder, subfolders, files in os.walk(root):
        # Not the virtualenv, local data, git, tests or benchmarks: only what serves pages.
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith((".", "__"))
            and name not in {"tests", "bench", "docs", "node_modules"}
        ]
        found += [
            Path(folder, name).relative_to(root)
            for name in files
            if name.endswith((".py", ".html", ".css", ".js"))
        ]
    return found


# Every anonymous page view runs one of these two lookups, so they skip the ORM: building and
# compiling the queryset cost more than the indexed read itself (bench/README.md, "Load").
def anime_page_version(request: HtmxHttpRequest, slug: str) -> int | None:
    return fetch_value(f"SELECT page_version FROM {Anime._meta.db_table} WHERE slug = %s", [slug])


def catalog_version(request: HtmxHttpRequest, **kwargs) -> int:
    """Read once per request: the page's cache key and its filter form's tags both need it."""
    if (version := getattr(request, "catalog_version", None)) is None:
        sql = f"SELECT version FROM {CatalogVersion._meta.db_table} WHERE id = 1"
        version = request.catalog_version = fetch_value(sql, []) or 0
    return version


def fetch_value(sql: str, params: list) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None
