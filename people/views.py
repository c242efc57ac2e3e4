"""Character and people pages, and an anime's full cast and staff."""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.http import HtmxHttpRequest
from catalog.models import Anime
from catalog.page_cache import anime_page_version, cached_for_anonymous
from catalog.views import page_or_nearest
from people.models import Character, CharacterRole, PeopleVersion, Person, StaffCredit

logger = logging.getLogger(__name__)

IMAGE_MAX_AGE = 24 * 60 * 60
# Cards with every voice actor, two to four a row: a long anime's cast runs to hundreds.
CHARACTERS_PER_PAGE = 48
# One line of names per role: a long series credits hundreds of storyboard artists.
CREDITS_PER_PAGE = 100


def character_page_version(request: HttpRequest, slug: str) -> str | None:
    return PeopleVersion.page_version(Character, slug)


def person_page_version(request: HttpRequest, slug: str) -> str | None:
    return PeopleVersion.page_version(Person, slug)


@require_safe
@cached_for_anonymous(character_page_version)
def character_detail(request: HttpRequest, slug: str) -> HttpResponse:
    character = get_object_or_404(Character.objects.for_detail_page(), slug=slug)
    return render(request, "people/character_detail.html", {"character": character})


@require_safe
@cached_for_anonymous(person_page_version)
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.for_detail_page(), slug=slug)
    return render(request, "people/person_detail.html", {"person": person})


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(anime_page_version)
def anime_characters(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """ "See all characters": main characters first, each with every voice actor; htmx gets
    the list alone when the page changes."""
    anime = get_object_or_404(Anime.objects.defer("synopsis"), slug=slug)
    roles = CharacterRole.objects.filter(anime=anime).for_cast_list()
    page, notice = page_or_nearest(Paginator(roles, CHARACTERS_PER_PAGE), request.GET.get("page"))
    template = (
        "people/anime_characters.html#cast" if request.htmx else "people/anime_characters.html"
    )
    return render(request, template, {"anime": anime, "page": page, "notice": notice})


@require_safe
@vary_on_headers("HX-Request")
@cached_for_anonymous(anime_page_version)
def anime_staff(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """ "See all staff", grouped by role; htmx gets the list alone when the page changes."""
    anime = get_object_or_404(Anime.objects.defer("synopsis"), slug=slug)
    credits = StaffCredit.objects.filter(anime=anime).select_related("person").in_credits_order()
    page, notice = page_or_nearest(Paginator(credits, CREDITS_PER_PAGE), request.GET.get("page"))
    template = "people/anime_staff.html#staff" if request.htmx else "people/anime_staff.html"
    return render(request, template, {"anime": anime, "page": page, "notice": notice})


@require_safe
def character_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The uploaded picture; browsers keep it and revalidate with 304s."""
    character = get_object_or_404(
        Character.objects.only("slug", "image", "updated_at").exclude(image=""), slug=slug
    )
    etag = quote_etag(f"{character.pk}-{character.updated_at.timestamp():.6f}")
    last_modified = int(character.updated_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        try:
            response = FileResponse(character.image.open("rb"))
        except FileNotFoundError:
            logger.warning("Image %s of %s is missing", character.image.name, character.slug)
            raise Http404("No image") from None
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    return response
