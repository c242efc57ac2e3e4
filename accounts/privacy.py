"""Who may see whose watch list, for the apps that show lists or count them."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.models import Profile


def can_see_list(owner: AbstractBaseUser, viewer: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether `viewer` may see `owner`'s list: the owner and staff always, others if it is public."""
    return Profile.of(owner).list_visible_to(viewer)


def visible_lists(viewer: AbstractBaseUser | AnonymousUser, *, owner: str = "user") -> Q:
    """A filter keeping the rows whose owner's list `viewer` may see, the set-based `can_see_list`.

    `owner` is the path to the user from the filtered model, e.g.
    `ListEntry.objects.filter(visible_lists(request.user))`, or `owner=""` on User itself.
    Users without a profile row have a public list, hence the exclusion of private ones rather
    than a filter on public ones.
    """
    prefix = f"{owner}__" if owner else ""
    if viewer.is_authenticated and viewer.is_staff:
        return Q()
    public = ~Q(**{f"{prefix}profile__list_is_public": False})
    if viewer.is_authenticated:
        return public | Q(**{f"{prefix}pk": viewer.pk})
    return public
