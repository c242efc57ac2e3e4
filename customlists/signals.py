"""Deleting an anime (in the admin) takes its items out of custom lists by cascade, behind the
back of CustomList.remove(): these receivers close the gaps it leaves and recount. Deleting a
member deletes their lists the same way: the anime pages that linked to them are rebuilt.

Signals, against the house rule of explicit calls, because the deletes happen in `catalog`,
which knows nothing of custom lists (it is the ground floor), and in django.contrib.auth, so
they cannot call us.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from catalog.models import Anime
from customlists.models import CustomList, CustomListItem


@receiver(pre_delete, sender=Anime, dispatch_uid="customlists_lists_of_deleted_anime")
def remember_lists(sender: type[Anime], instance: Anime, **kwargs: Any) -> None:
    items = CustomListItem.objects.filter(anime=instance)
    instance._custom_list_ids = list(items.values_list("custom_list_id", flat=True))


@receiver(post_delete, sender=Anime, dispatch_uid="customlists_renumber_after_anime")
def renumber_lists(sender: type[Anime], instance: Anime, **kwargs: Any) -> None:
    for custom_list in CustomList.objects.filter(pk__in=getattr(instance, "_custom_list_ids", [])):
        custom_list.renumber()


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="customlists_deleted_member")
def forget_public_lists(sender: type, instance: Any, **kwargs: Any) -> None:
    """A deleted member's lists go by cascade, behind CustomList.delete()'s back: the pages of
    the anime their public lists hold stop linking to them."""
    Anime.objects.filter(
        custom_list_items__custom_list__owner=instance,
        custom_list_items__custom_list__is_public=True,
    ).page_changed()
