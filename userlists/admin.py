from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from userlists.models import AnimeListStats, ListEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists change only through ListEntry.objects.save_entry/remove_entry, which keep every
    anime's figures exact; an admin form would change a row behind their back.

    Deleting stays possible where it keeps them exact: the admin asks for the delete
    permission on everything a deletion cascades to, so without it staff could delete neither
    a member who has a list nor an anime in someone's list.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "anime", "status", "progress", "rating", "updated_at"]
    list_filter = ["status", "rating"]
    search_fields = ["user__username", "anime__title"]
    list_select_related = ["user", "anime"]
    show_full_result_count = False

    def delete_model(self, request: HttpRequest, obj: ListEntry) -> None:
        ListEntry.objects.remove_entry(obj.user, obj.anime)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset.remove_each()


@admin.register(AnimeListStats)
class AnimeListStatsAdmin(ReadOnlyAdmin):
    list_display = ["anime", "watched", "watching", "want", "dropped", "votes"]
    search_fields = ["anime__title"]
    list_select_related = ["anime"]
    show_full_result_count = False

    # The figures go with their anime, never alone: nothing would count them again.
    actions = None

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raise PermissionDenied
