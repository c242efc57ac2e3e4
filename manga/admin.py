"""Editing manga, their authors and titles, and their relations to anime: on the manga's page,
and as a "Related manga" inline on the anime's admin page."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from catalog.admin import LinkInline, add_anime_inlines
from manga.models import AnimeMangaRelation, Author, Manga, MangaAuthor, MangaTitle


class MangaTitleInline(admin.TabularInline):
    model = MangaTitle
    extra = 1


class MangaAuthorInline(admin.TabularInline):
    model = MangaAuthor
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "authors"


class AnimeMangaRelationInline(admin.TabularInline):
    model = AnimeMangaRelation
    autocomplete_fields = ["anime"]
    extra = 1
    verbose_name = "related anime"
    verbose_name_plural = "related anime"


@admin.register(Manga)
class MangaAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "volumes", "chapters", "status", "start_year", "end_year"]
    list_filter = ["kind", "status", "start_year"]
    search_fields = ["title", "slug", "titles__title", "authors__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MangaTitleInline, MangaAuthorInline, AnimeMangaRelationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "volumes", "chapters", "status"]}),
        ("Published", {"fields": [("start_year", "end_year")]}),
        ("Details", {"fields": ["synopsis", "cover", "tags"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "manga_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Meta.ordering does not apply to aggregated querysets; autocomplete pages need an order.
        return super().get_queryset(request).annotate(manga_count=Count("manga")).order_by("name")

    @admin.display(description="manga", ordering="manga_count")
    def manga_count(self, obj: Author) -> int:
        return obj.manga_count


@admin.register(AnimeMangaRelation)
class AnimeMangaRelationAdmin(admin.ModelAdmin):
    list_display = ["anime", "relation", "manga"]
    list_filter = ["relation"]
    search_fields = ["anime__title", "manga__title"]
    autocomplete_fields = ["anime", "manga"]
    list_select_related = ["anime", "manga"]


@admin.register(MangaTitle)
class MangaTitleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "manga"]
    list_filter = ["kind"]
    search_fields = ["title", "manga__title"]
    autocomplete_fields = ["manga"]
    list_select_related = ["manga"]


class RelatedMangaInline(LinkInline):
    """An anime's related manga, on the anime's admin page."""

    model = AnimeMangaRelation
    autocomplete_fields = ["manga"]
    fields = ["manga", "relation"]
    verbose_name = "related manga"
    verbose_name_plural = "related manga"
    # Each row is shown by name ("Cowboy Bebop → Adaptation: …"): its anime and its manga.
    related = ("anime", "manga")


add_anime_inlines(RelatedMangaInline)
