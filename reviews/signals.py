"""Deleting a member (`user.delete()`) deletes their reviews and their helpful votes by cascade,
behind the back of Review.delete() and Review.vote(): this receiver withdraws each vote from
its review's counts first, and marks the pages that showed their reviews or those counts as
changed (page cache).

A signal, against the house rule of explicit calls, because the delete happens in
django.contrib.auth, which knows nothing of reviews.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from catalog.models import Anime
from reviews.models import HelpfulVote


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="reviews_deleted_member")
def forget_reviews_and_votes(sender: type, instance: Any, **kwargs: Any) -> None:
    for vote in HelpfulVote.objects.filter(voter=instance).select_related("review"):
        vote.review.vote(instance, None)
    Anime.objects.filter(reviews__author=instance).page_changed()
