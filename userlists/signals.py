"""Deleting a member (`user.delete()`) deletes their list entries by cascade, behind the back of
remove_entry(): this receiver takes each out of its anime's figures first, so User Stats, votes
and the mean rating stop counting them and the anime pages are rebuilt.

A signal, against the house rule of explicit calls, because the delete happens in
django.contrib.auth, which knows nothing of lists.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from userlists.models import ListEntry


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="userlists_deleted_member")
def take_entries_out_of_figures(sender: type, instance: Any, **kwargs: Any) -> None:
    ListEntry.objects.filter(user=instance).remove_each()
