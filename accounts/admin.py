from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.forms import UserChangeForm
from accounts.models import Profile

User = get_user_model()


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "list_is_public"]
    list_filter = ["list_is_public"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


# The profile's fields on the user's own admin page, where staff look for them.
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    form = UserChangeForm
    inlines = [ProfileInline]
