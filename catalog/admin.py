from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString

from catalog.cover_files import delete_cover_files
from catalog.models import Anime, AnimeRelation, AnimeSource, AnimeTitle, Studio, Tag
from catalog.templatetags.covers import cover


class LinkInline(admin.TabularInline):
    """An inline of rows that link to other rows, shown by name: those rows come in the same
    query (`related`), not one query per row. (Django's autocomplete widget still reads each
    row's selected choice by itself.)"""

    extra = 1
    related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related(*self.related)


def add_anime_inlines(*inlines: type[admin.options.InlineModelAdmin]) -> None:
    """Show another app's inlines on the anime's admin page.

    catalog imports no other app of ours, so those apps call this: it extends whatever admin is
    registered for Anime now (this module's, or one another app has extended already) and
    registers the extension in its place, so no app's inlines are lost.
    """
    before = type(admin.site.get_model_admin(Anime))
    extended = type("AnimeAdmin", (before,), {"inlines": [*before.inlines, *inlines]})
    admin.site.unregister(Anime)
    admin.site.register(Anime, extended)


class AnimeTitleInline(admin.TabularInline):
    model = AnimeTitle
    extra = 1


class AnimeSourceInline(admin.TabularInline):
    model = AnimeSource
    extra = 0


class AnimeRelationInline(admin.TabularInline):
    model = AnimeRelation
    fk_name = "from_anime"
    autocomplete_fields = ["to_anime"]
    extra = 1
    verbose_name = "related anime"
    verbose_name_plural = "related anime"


@admin.register(Anime)
class AnimeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "episodes",
        "start_year",
        "start_season",
        "airing_status",
        "rank",
    ]
    list_filter = ["kind", "airing_status", "start_season", "start_year", "tags__category"]
    search_fields = ["title", "slug", "titles__title"]
    # Counting the unfiltered catalog is a full scan on every filtered page; skip it.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["studios", "tags"]
    readonly_fields = [
        "average_rating",
        "votes",
        "members",
        "rank",
        "popularity",
        "created_at",
        "updated_at",
        "cover_preview",
    ]
    inlines = [AnimeTitleInline, AnimeRelationInline, AnimeSourceInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "episodes", "episode_minutes", "airing_status"]},
        ),
        ("Aired", {"fields": [("start_season", "start_year"), ("end_season", "end_year")]}),
        (
            "Details",
            {
                "fields": [
                    "synopsis",
                    "source_material",
                    "age_rating",
                    ("cover", "cover_preview"),
                    "studios",
                    "tags",
                ],
                "description": "Covers: JPEG, PNG, WebP or GIF, up to 10 MB and 40 megapixels; "
                "stored as WebP without their metadata and cut to 225 × 318 proportions for "
                "the site's thumbnails.",
            },
        ),
        (
            "Community figures (kept up to date by the site)",
            {
                "fields": [
                    "average_rating",
                    "votes",
                    "rank",
                    "popularity",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description="as the site shows it")
    def cover_preview(self, anime: Anime) -> SafeString | str:
        return cover(anime, 150, eager=True) if anime.pk else "—"

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # A bulk delete does not call Anime.delete(), which removes the cover files.
        names = [name for name in queryset.values_list("cover", flat=True) if name]
        super().delete_queryset(request, queryset)
        storage = Anime._meta.get_field("cover").storage
        for name in names:
            transaction.on_commit(lambda name=name: delete_cover_files(storage, name))


class AnimeCountAdmin(admin.ModelAdmin):
    """Lists how many anime carry each studio or tag."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Meta.ordering does not apply to aggregated querysets; autocomplete pages need an order.
        return super().get_queryset(request).annotate(anime_count=Count("anime")).order_by("name")

    @admin.display(description="anime", ordering="anime_count")
    def anime_count(self, obj: Studio | Tag) -> int:
        return obj.anime_count


@admin.register(Studio)
class StudioAdmin(AnimeCountAdmin):
    list_display = ["name", "slug", "anime_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(AnimeCountAdmin):
    list_display = ["name", "category", "slug", "anime_count"]
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AnimeRelation)
class AnimeRelationAdmin(admin.ModelAdmin):
    list_display = ["from_anime", "relation_type", "to_anime"]
    list_filter = ["relation_type"]
    search_fields = ["from_anime__title", "to_anime__title"]
    autocomplete_fields = ["from_anime", "to_anime"]
    list_select_related = ["from_anime", "to_anime"]


@admin.register(AnimeTitle)
class AnimeTitleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "anime"]
    list_filter = ["kind"]
    search_fields = ["title", "anime__title"]
    autocomplete_fields = ["anime"]
    list_select_related = ["anime"]


@admin.register(AnimeSource)
class AnimeSourceAdmin(admin.ModelAdmin):
    list_display = ["url", "anime"]
    search_fields = ["url", "anime__title"]
    autocomplete_fields = ["anime"]
    list_select_related = ["anime"]
