"""A user's profile: what Django's User lacks, chiefly whether their watch list is public."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse


class Profile(models.Model):
    """Created at sign-up or on the first visit to the settings page.

    Users made elsewhere (the admin, `createsuperuser`, bulk seeding) may have no row: `Profile.of()`
    stands in with the defaults, so a missing row always means a public list.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    list_is_public = models.BooleanField(
        "public list",
        default=True,
        help_text="A private list and its statistics are seen by their owner and staff alone.",
    )
    about = models.CharField(
        "about me", max_length=500, blank=True, help_text="A few words for your profile page."
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.user.get_username()})

    @classmethod
    def of(cls, user: AbstractBaseUser) -> Profile:
        """The user's profile, or an unsaved one with the defaults: reading never writes."""
        try:
            return user.profile
        except cls.DoesNotExist:
            return cls(user=user)

    def list_visible_to(self, viewer: AbstractBaseUser | AnonymousUser) -> bool:
        """Whether `viewer` may see this user's watch list: the owner and staff always."""
        if self.list_is_public:
            return True
        return viewer.is_authenticated and (viewer.pk == self.user_id or viewer.is_staff)
