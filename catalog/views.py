from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.cover_files import thumbnail_name
from catalog.covers import COVER_SIZE, COVER_WIDTHS, cover_height, placeholder_cover
from catalog.filter_tags import filter_tags
from catalog.forms import CatalogFilterForm
from catalog.http import HtmxHttpRequest
from catalog.models import LISTED_ANIME, Anime, Season, Studio, Tag
from catalog.page_cache import anime_page_version, cached_for_anonymous, catalog_version
from catalog.pagination import CappedPaginator
from catalog.search import SearchResults

logger = logging.getLogger(__name__)

ANIME_PER_PAGE = 50
SUGGESTIONS = 8
SUGGESTION_QUERY_MIN_LENGTH = 2
SUGGESTION_QUERY_MAX_LENGTH = 200
COVER_MAX_AGE = 24 * 60 * 60


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(catalog_version)
def anime_list(request: HtmxHttpRequest) -> HttpResponse:
    return catalog_page(request, heading="Anime")


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(catalog_version)
def anime_by_tag(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    return catalog_page(request, heading=f"{tag.name} anime", fixed={"tag": [tag]})


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(catalog_version)
def anime_by_studio(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    studio = get_object_or_404(Studio, slug=slug)
    return catalog_page(request, heading=f"Anime by {studio.name}", fixed={"studio": studio})


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(catalog_version)
def anime_by_season(request: HtmxHttpRequest, year: int, season: str) -> HttpResponse:
    if season not in Season.values or not 1900 <= year <= 2100:
        raise Http404("No such season")
    heading = f"{Season(season).label} {year} anime"
    return catalog_page(request, heading=heading, fixed={"year": year, "season": season})


def catalog_page(
    request: HtmxHttpRequest, *, heading: str, fixed: dict[str, Any] | None = None
) -> HttpResponse:
    """A filterable, sortable page of the catalog; htmx gets just the part that changes."""
    form = CatalogFilterForm(request.GET, fixed=fixed)
    filters = form.catalog_filters()
    if text := form.search_alone:
        results = SearchResults.of(text, LISTED_ANIME)
        # "300+ anime" when more matched than the ranking holds.
        paginator = CappedPaginator(
            results, ANIME_PER_PAGE, cap=len(results), known_count=results.found
        )
    else:
        paginator = CappedPaginator(
            Anime.objects.for_list().filtered(**filters).sorted_by(form.sort_order),
            ANIME_PER_PAGE,
            known_count=Anime.objects.count_cheaply(**filters),
            ids_first=Anime.objects.ids_first_pays(**filters),
            rows=LISTED_ANIME,
        )
    page, page_notice = page_or_nearest(paginator, request.GET.get("page"))
    context = {
        "heading": heading,
        "form": form,
        "page": page,
        "notices": [*form.notices, *filter(None, [page_notice])],
        "active_filters": form.active_filters(),
        # A tag page offers no tags to filter by.
        "filter_tags": filter_tags(catalog_version(request)) if "tag" in form.fields else (),
        "query": form.values.get("q", ""),
    }
    template = "catalog/anime_list.html#catalog" if request.htmx else "catalog/anime_list.html"
    return render(request, template, context)


def page_or_nearest(paginator: Paginator, number: str | None) -> tuple[Page, str]:
    """The page asked for, or the nearest one that exists and a notice saying so."""
    if not number:
        return paginator.page(1), ""
    try:
        wanted = int(number)
    except ValueError:
        return paginator.page(1), f"Ignored page “{number}”: not a number."
    if wanted < 1:
        return paginator.page(1), f"There is no page {wanted}: showing the first page."
    if wanted > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(
            last
        ), f"There is no page {wanted:,}: showing the last page, {last:,}."
    return paginator.page(wanted), ""


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(catalog_version)
def anime_suggestions(request: HtmxHttpRequest) -> HttpResponse:
    """The search box's live suggestions; without htmx, the full search results instead."""
    # PostgreSQL text cannot hold a NUL character, and nobody types one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SUGGESTION_QUERY_MAX_LENGTH]
    if not request.htmx:
        return redirect(f"{reverse('catalog:anime-list')}?{urlencode({'q': query})}")
    anime = []
    if len(query) >= SUGGESTION_QUERY_MIN_LENGTH:
        anime = Anime.objects.search_results(query, SUGGESTIONS)[:]
    return render(request, "catalog/suggestions.html", {"anime": anime, "query": query})


@require_safe
@cached_for_anonymous(anime_page_version)
def anime_detail(request: HttpRequest, slug: str) -> HttpResponse:
    anime = get_object_or_404(Anime.objects.for_detail_page(), slug=slug)
    return render(request, "catalog/anime_detail.html", {"anime": anime})


@require_safe
def anime_cover(request: HttpRequest, slug: str) -> HttpResponse:
    """The uploaded cover, or a drawn placeholder; browsers keep it and revalidate with 304s.

    `?w=` asks for one of COVER_WIDTHS; without it, the uploaded original (or a placeholder of
    COVER_SIZE). Pages link uploaded thumbnails from the media storage directly: this view
    serves them only to whoever asks for them here.
    """
    width = requested_width(request.GET.get("w"))
    anime = get_object_or_404(Anime, slug=slug)
    etag = quote_etag(f"{anime.pk}-{anime.updated_at.timestamp():.6f}-{width or ''}")
    last_modified = int(anime.updated_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = cover_response(anime, width)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=COVER_MAX_AGE)
    return response


def requested_width(value: str | None) -> int | None:
    if value is None:
        return None
    if value not in {str(width) for width in COVER_WIDTHS}:
        raise Http404("No cover of that width")
    return int(value)


def cover_response(anime: Anime, width: int | None) -> HttpResponse:
    if anime.cover:
        name = thumbnail_name(anime.cover.name, width) if width else anime.cover.name
        try:
            return FileResponse(anime.cover.storage.open(name, "rb"))
        except FileNotFoundError:
            # A database restored without its media folder: a placeholder beats a broken image.
            logger.warning("Cover file %s of %s is missing", name, anime.slug)
    size = (width, cover_height(width)) if width else COVER_SIZE
    png = cache.get_or_set(
        f"cover:{anime.slug}:{anime.updated_at.timestamp():.6f}:{size[0]}",
        lambda: placeholder_cover(anime.title, cover_subtitle(anime), size),
        COVER_MAX_AGE,
    )
    return HttpResponse(png, content_type="image/png")


def cover_subtitle(anime: Anime) -> str:
    """'TV · 2003': enough to tell apart two placeholders of the same title."""
    parts = [anime.get_kind_display() if anime.kind else "", str(anime.start_year or "")]
    return " · ".join(part for part in parts if part)
