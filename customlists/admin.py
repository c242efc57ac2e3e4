from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from customlists.models import MAX_ITEMS, CustomList, CustomListItem


class ItemForm(forms.ModelForm):
    def _get_validation_exclusions(self) -> set[str]:
        # Positions may collide while staff reorder; CustomList.renumber() makes them 1..n
        # again once the items are saved.
        return {*super()._get_validation_exclusions(), "position"}


class ItemInline(admin.TabularInline):
    model = CustomListItem
    form = ItemForm
    fields = ["position", "anime", "note"]
    autocomplete_fields = ["anime"]
    extra = 0
    max_num = MAX_ITEMS


@admin.register(CustomList)
class CustomListAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "is_public", "item_count", "updated_at"]
    list_filter = ["is_public"]
    search_fields = ["title", "owner__username"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["item_count", "created_at", "updated_at"]
    inlines = [ItemInline]
    show_full_result_count = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.renumber()
