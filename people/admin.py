"""Editing characters and staff: on their own pages, and as inlines on the anime's admin page.

Saving or deleting a row marks the pages that show it changed (people.models); deletes of
several rows at once ("delete selected") go through the querysets' delete(), which does too.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from catalog.admin import LinkInline, add_anime_inlines
from people.models import Character, CharacterRole, Person, StaffCredit, VoiceCredit


class CharacterRoleInline(LinkInline):
    model = CharacterRole
    autocomplete_fields = ["character"]
    fields = ["character", "role", "order"]
    # Voice actors are edited on the role's own page (Django has no nested inlines).
    show_change_link = True
    verbose_name = "character"
    verbose_name_plural = "characters"
    related = ("character",)


class StaffCreditInline(LinkInline):
    model = StaffCredit
    autocomplete_fields = ["person"]
    fields = ["person", "role"]
    verbose_name = "staff credit"
    verbose_name_plural = "staff"
    related = ("person",)


add_anime_inlines(CharacterRoleInline, StaffCreditInline)


class CastAnimeInline(LinkInline):
    """A character's anime, on the character's page."""

    model = CharacterRole
    autocomplete_fields = ["anime"]
    fields = ["anime", "role", "order"]
    show_change_link = True
    verbose_name = "appearance"
    verbose_name_plural = "appearances"
    related = ("anime",)


@admin.register(Character)
class CharacterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "appearances"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "alt_names", "slug", "description", "image"]
    inlines = [CastAnimeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Meta.ordering does not apply to aggregated querysets; autocomplete pages need an order.
        return super().get_queryset(request).annotate(role_count=Count("roles")).order_by("name")

    @admin.display(description="anime", ordering="role_count")
    def appearances(self, obj: Character) -> int:
        return obj.role_count


class VoiceCreditInline(LinkInline):
    model = VoiceCredit
    autocomplete_fields = ["person"]
    fields = ["person", "language"]
    verbose_name = "voice actor"
    verbose_name_plural = "voice actors"
    related = ("person",)


@admin.register(CharacterRole)
class CharacterRoleAdmin(admin.ModelAdmin):
    """A character in one anime, with the people who voice it there."""

    list_display = ["character", "anime", "role"]
    list_filter = ["role"]
    search_fields = ["character__name", "anime__title"]
    autocomplete_fields = ["anime", "character"]
    list_select_related = ["character", "anime"]
    inlines = [VoiceCreditInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Its name ("Spike Spiegel in Cowboy Bebop (1998)") is what autocomplete lists show.
        return super().get_queryset(request).select_related("character", "anime")


class PersonStaffCreditInline(LinkInline):
    model = StaffCredit
    autocomplete_fields = ["anime"]
    fields = ["anime", "role"]
    verbose_name = "staff credit"
    verbose_name_plural = "staff credits"
    related = ("anime",)


class PersonVoiceCreditInline(LinkInline):
    model = VoiceCredit
    autocomplete_fields = ["character_role"]
    fields = ["character_role", "language"]
    verbose_name = "voice role"
    verbose_name_plural = "voice roles"
    related = ("character_role__character", "character_role__anime")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "credits", "voice_roles"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "alt_names", "slug"]
    inlines = [PersonStaffCreditInline, PersonVoiceCreditInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                credit_count=Count("staff_credits", distinct=True),
                voice_count=Count("voice_credits", distinct=True),
            )
            .order_by("name")
        )

    @admin.display(description="staff credits", ordering="credit_count")
    def credits(self, obj: Person) -> int:
        return obj.credit_count

    @admin.display(description="voice roles", ordering="voice_count")
    def voice_roles(self, obj: Person) -> int:
        return obj.voice_count


@admin.register(StaffCredit)
class StaffCreditAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "anime"]
    list_filter = ["role"]
    search_fields = ["person__name", "anime__title"]
    autocomplete_fields = ["anime", "person"]
    list_select_related = ["person", "anime"]
