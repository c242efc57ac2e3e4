from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from reviews.models import Review

FEED_LENGTH = 30
SPOILER_NOTICE = "<p>This review contains spoilers: read it on Animedex.</p>"


class LatestReviewsFeed(Feed):
    """An Atom feed of /reviews/: the latest visible reviews, their excerpts as summaries."""

    feed_type = Atom1Feed
    title = "Animedex: latest reviews"
    subtitle = "The newest anime reviews written on Animedex."

    def link(self) -> str:
        return reverse("reviews:latest")

    def items(self) -> list[Review]:
        return list(Review.objects.visible().for_cards().sorted_by("newest")[:FEED_LENGTH])

    def item_title(self, item: Review) -> str:
        return f"{item.title} — a review of {item.anime.title} ({item.overall}/10)"

    def item_description(self, item: Review) -> str:
        # The excerpt is sanitised HTML; the feed escapes it into the summary element.
        return SPOILER_NOTICE if item.spoilers else item.excerpt_html

    def item_author_name(self, item: Review) -> str:
        return item.author.get_username()

    def item_pubdate(self, item: Review) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Review) -> datetime:
        return item.edited_at or item.created_at
