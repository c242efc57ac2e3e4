from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.covers import placeholder_cover
from catalog.http import HtmxHttpRequest
from catalog.models import Anime

logger = logging.getLogger(__name__)

ANIME_PER_PAGE = 50
COVER_MAX_AGE = 24 * 60 * 60


@require_safe
@vary_on_headers("HX-Request")
def anime_list(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    anime = Anime.objects.for_list().ranked_first()
    if query:
        anime = anime.matching(query)
    page = Paginator(anime, ANIME_PER_PAGE).get_page(request.GET.get("page"))
    template = "catalog/anime_list.html#results" if request.htmx else "catalog/anime_list.html"
    return render(request, template, {"page": page, "query": query})


@require_safe
def anime_detail(request: HttpRequest, slug: str) -> HttpResponse:
    anime = get_object_or_404(Anime.objects.for_detail_page(), slug=slug)
    return render(request, "catalog/anime_detail.html", {"anime": anime})


@require_safe
def anime_cover(request: HttpRequest, slug: str) -> HttpResponse:
    """The uploaded cover, or a drawn placeholder; browsers keep it and revalidate with 304s."""
    anime = get_object_or_404(Anime, slug=slug)
    etag = quote_etag(f"{anime.pk}-{anime.updated_at.timestamp():.6f}")
    last_modified = int(anime.updated_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = cover_response(anime)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=COVER_MAX_AGE)
    return response


def cover_response(anime: Anime) -> HttpResponse:
    if anime.cover:
        try:
            return FileResponse(anime.cover.open("rb"))
        except FileNotFoundError:
            # A database restored without its media folder: a placeholder beats a broken image.
            logger.warning("Cover file %s of %s is missing", anime.cover.name, anime.slug)
    png = cache.get_or_set(
        f"cover:{anime.slug}:{anime.updated_at.timestamp():.6f}",
        lambda: placeholder_cover(anime.title, cover_subtitle(anime)),
        COVER_MAX_AGE,
    )
    return HttpResponse(png, content_type="image/png")


def cover_subtitle(anime: Anime) -> str:
    """'TV · 2003': enough to tell apart two placeholders of the same title."""
    parts = [anime.get_kind_display() if anime.kind else "", str(anime.start_year or "")]
    return " · ".join(part for part in parts if part)
