from __future__ import annotations

import logging

from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.covers import placeholder_cover
from catalog.http import HtmxHttpRequest
from catalog.page_cache import cached_for_anonymous, catalog_version
from catalog.pagination import CappedPaginator
from catalog.views import COVER_MAX_AGE, page_or_nearest
from manga.forms import MangaSearchForm
from manga.models import Author, Manga, MangaKind

logger = logging.getLogger(__name__)

MANGA_PER_PAGE = 50


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(catalog_version)
def manga_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every manga by title, searchable by any of its titles and filtered by kind."""
    form = MangaSearchForm(request.GET)
    query, kind = form.value("q"), form.value("kind")
    manga = Manga.objects.for_list().by_title()
    if query:
        manga = manga.matching(query)
    if kind:
        manga = manga.filter(kind=kind)
    page, notice = page_or_nearest(CappedPaginator(manga, MANGA_PER_PAGE), request.GET.get("page"))
    context = {
        "page": page,
        "notice": notice,
        "query": query,
        "kind": kind,
        "kinds": MangaKind.choices,
    }
    template = "manga/manga_list.html#results" if request.htmx else "manga/manga_list.html"
    return render(request, template, context)


@require_safe
@cached_for_anonymous(catalog_version)
def manga_detail(request: HttpRequest, slug: str) -> HttpResponse:
    manga = get_object_or_404(Manga.objects.for_detail_page(), slug=slug)
    return render(request, "manga/manga_detail.html", {"manga": manga})


@require_safe
@cached_for_anonymous(catalog_version)
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    manga = author.manga.for_list().order_by("start_year", "search_name", "id")
    return render(request, "manga/author_detail.html", {"author": author, "manga": manga})


@require_safe
def manga_cover(request: HttpRequest, slug: str) -> HttpResponse:
    """The uploaded cover, or a drawn placeholder; browsers keep it and revalidate with 304s."""
    manga = get_object_or_404(Manga, slug=slug)
    etag = quote_etag(f"manga-{manga.pk}-{manga.updated_at.timestamp():.6f}")
    last_modified = int(manga.updated_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = cover_response(manga)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=COVER_MAX_AGE)
    return response


def cover_response(manga: Manga) -> HttpResponse:
    if manga.cover:
        try:
            return FileResponse(manga.cover.open("rb"))
        except FileNotFoundError:
            # A database restored without its media folder: a placeholder beats a broken image.
            logger.warning("Cover file %s of manga %s is missing", manga.cover.name, manga.slug)
    subtitle = " · ".join(filter(None, [manga.get_kind_display(), str(manga.start_year or "")]))
    png = cache.get_or_set(
        f"manga-cover:{manga.slug}:{manga.updated_at.timestamp():.6f}",
        lambda: placeholder_cover(manga.title, subtitle),
        COVER_MAX_AGE,
    )
    return HttpResponse(png, content_type="image/png")
