from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from userlists.models import AnimeListStats, ListEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists change only through ListEntry.objects.save_entry/remove_entry, which keep every
    anime's figures exact; an admin form would change a row behind their back."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "anime", "status", "progress", "rating", "updated_at"]
    list_filter = ["status", "rating"]
    search_fields = ["user__username", "anime__title"]
    list_select_related = ["user", "anime"]
    show_full_result_count = False


@admin.register(AnimeListStats)
class AnimeListStatsAdmin(ReadOnlyAdmin):
    list_display = ["anime", "watched", "watching", "want", "dropped", "votes"]
    search_fields = ["anime__title"]
    list_select_related = ["anime"]
    show_full_result_count = False
