from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from catalog.models import Anime

ANIME_PER_PAGE = 50


@require_safe
def anime_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(Anime.objects.for_list().ranked_first(), ANIME_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "catalog/anime_list.html", {"page": page})


@require_safe
def anime_detail(request: HttpRequest, slug: str) -> HttpResponse:
    anime = get_object_or_404(Anime.objects.for_detail_page(), slug=slug)
    return render(request, "catalog/anime_detail.html", {"anime": anime})


@require_safe
def anime_cover(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError
