"""Watch lists: each user's status, progress and rating of an anime, and the figures they add up to.

Every change goes through `ListEntry.objects.save_entry()` / `remove_entry()`, which update the
anime's figures (per-status counts, votes, mean rating) in the same transaction with increments,
never a read-modify-write, so the figures stay exact under concurrent writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Round

from accounts.privacy import visible_lists
from catalog.models import Anime, RelationType

RATINGS = [Decimal(n) / 2 for n in range(1, 11)]  # 0.5 to 5 in half stars, as anime-planet
# For forms: values as the database returns them ("4.0"), labels as people write them ("4").
RATING_CHOICES = [("", "No rating"), *[(f"{rating:.1f}", f"{rating:g}") for rating in RATINGS]]


class Status(models.TextChoices):
    WATCHED = "watched", "Watched"
    WATCHING = "watching", "Watching"
    WANT_TO_WATCH = "want", "Want to watch"
    DROPPED = "dropped", "Dropped"


class AnimeListStats(models.Model):
    """How many lists hold the anime in each status, and the sum and count of its ratings."""

    anime = models.OneToOneField(
        Anime, on_delete=models.CASCADE, primary_key=True, related_name="list_stats"
    )
    watched = models.PositiveIntegerField(default=0)
    watching = models.PositiveIntegerField(default=0)
    want = models.PositiveIntegerField(default=0)
    dropped = models.PositiveIntegerField(default=0)
    rating_sum = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "anime list stats"

    def __str__(self) -> str:
        return f"List figures of {self.anime}"

    @property
    def members(self) -> int:
        return self.watched + self.watching + self.want + self.dropped

    def by_status(self) -> list[tuple[Status, int]]:
        return [(status, getattr(self, status.value)) for status in Status]


@dataclass(frozen=True)
class EntryFigures:
    """What one entry adds to its anime's figures."""

    status: str | None = None
    rating: Decimal | None = None

    def minus(self, before: EntryFigures) -> dict[str, Any]:
        """The increments that turn `before`'s contribution into this one, as F() updates."""
        changes: dict[str, Any] = {}
        if self.status != before.status:
            if before.status:
                changes[before.status] = F(before.status) - 1
            if self.status:
                changes[self.status] = F(self.status) + 1
        old, new = before.rating or Decimal(0), self.rating or Decimal(0)
        if new != old:
            changes["rating_sum"] = F("rating_sum") + (new - old)
        votes = (self.rating is not None) - (before.rating is not None)
        if votes:
            changes["votes"] = F("votes") + votes
        return changes


class ListEntryQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> ListEntryQuerySet:
        """Entries of the lists the viewer may see (accounts' privacy setting)."""
        return self.filter(visible_lists(viewer))

    def for_list_page(self) -> ListEntryQuerySet:
        return self.select_related("anime").defer("anime__synopsis", "notes")

    def sorted_by(self, sort: str) -> ListEntryQuerySet:
        return self.order_by(*LIST_SORT_ORDERS[sort])

    def summary(self) -> dict[str, Any]:
        """Counts per status, episodes and minutes watched, mean rating: one query."""
        return self.aggregate(
            total=models.Count("pk"),
            **{status.value: models.Count("pk", filter=Q(status=status)) for status in Status},
            episodes=Coalesce(models.Sum("progress"), 0),
            minutes=Coalesce(models.Sum(F("progress") * F("anime__episode_minutes")), 0),
            mean_rating=models.Avg("rating"),
            rated=models.Count("rating"),
        )

    def rating_distribution(self) -> list[tuple[Decimal, int]]:
        """How many entries carry each half-star rating, from 5 down, zeros included."""
        counts = dict(
            self.exclude(rating=None).values_list("rating").annotate(n=models.Count("pk"))
        )
        return [(rating, counts.get(rating, 0)) for rating in reversed(RATINGS)]

    @transaction.atomic
    def save_entry(self, user, anime: Anime, **changes: Any) -> ListEntry:
        """Create or change the user's entry for the anime, and its figures with it.

        `changes` are ListEntry fields (status, progress, rating, started_on, finished_on,
        rewatch_count, notes). A new entry without a status is "want to watch".
        """
        entry, created = self._locked_entry(user, anime)
        before = EntryFigures() if created else entry.figures()
        for name, value in changes.items():
            setattr(entry, name, value)
        if changes.get("status") == Status.WATCHED and "progress" not in changes:
            # Watched means every episode, when we know how many there are.
            entry.progress = anime.episodes or entry.progress
        entry.progress = entry.capped_progress()
        # The fields and the rules of clean() in Python; the database's constraints stand behind
        # them. (full_clean() would add a query per constraint to every click.)
        entry.clean_fields(exclude=["user", "anime"])  # both known to exist: no lookups
        entry.clean()
        entry.save()
        _update_figures(anime, entry.figures().minus(before))
        return entry

    @transaction.atomic
    def remove_entry(self, user, anime: Anime) -> None:
        entry = self.select_for_update().filter(user=user, anime=anime).first()
        if entry is not None:
            entry.delete()
            _update_figures(anime, EntryFigures().minus(entry.figures()))

    @transaction.atomic
    def remove_each(self) -> None:
        """remove_entry() for each of these entries, so the anime's figures stop counting them
        (a plain delete of the rows would leave them counted)."""
        for entry in self.select_related("user", "anime"):
            ListEntry.objects.remove_entry(entry.user, entry.anime)

    def _locked_entry(self, user, anime: Anime) -> tuple[ListEntry, bool]:
        """The user's entry, locked until the transaction ends; created (as "want to watch")
        when there is none. The lock serialises a double click: the second request waits, then
        sees what the first wrote, so the figures move once."""
        entry = self.select_for_update().filter(user=user, anime=anime).first()
        if entry is not None:
            return entry, False
        try:
            with transaction.atomic():
                entry = ListEntry.objects.create(
                    user=user, anime=anime, status=Status.WANT_TO_WATCH
                )
        except IntegrityError:
            # A concurrent first click inserted it; the unique index made this one wait for it.
            return self.select_for_update().get(user=user, anime=anime), False
        return entry, True


def _update_figures(anime: Anime, changes: dict[str, Any]) -> None:
    """Apply the increments to the anime's list figures, then copy the ones the catalog
    stores on the anime itself (votes, mean, members) from the updated row."""
    if not changes:
        return
    AnimeListStats.objects.bulk_create([AnimeListStats(anime=anime)], ignore_conflicts=True)
    AnimeListStats.objects.filter(anime=anime).update(**changes)
    stats = AnimeListStats.objects.filter(anime=anime)
    copied = {
        "votes": stats.values("votes"),
        "average_rating": stats.annotate(
            mean=Case(
                When(votes__gt=0, then=Round(F("rating_sum") / F("votes"), 3)),
                default=Value(None),
                output_field=models.DecimalField(max_digits=4, decimal_places=3),
            )
        ).values("mean"),
        "members": stats.annotate(
            members=F("watched") + F("watching") + F("want") + F("dropped")
        ).values("members"),
    }
    Anime.objects.filter(pk=anime.pk).update(
        page_version=F("page_version") + 1,  # its User Stats changed: no stale cached page
        **{name: models.Subquery(value) for name, value in copied.items()},
    )


# The list page's sort orders; each ends with the unique id so pages never overlap.
LIST_SORT_ORDERS = {
    "updated": (F("updated_at").desc(), "id"),
    "title": ("anime__search_name", "id"),
    "rating": (F("rating").desc(nulls_last=True), "anime__search_name", "id"),
    "progress": (F("progress").desc(), "anime__search_name", "id"),
}


class ListEntry(models.Model):
    # No index of their own: the unique (user, anime) and the (anime, status) indexes lead with
    # these columns, and every index slows every write.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="list_entries",
        db_index=False,
    )
    anime = models.ForeignKey(
        Anime, on_delete=models.CASCADE, related_name="list_entries", db_index=False
    )
    status = models.CharField(max_length=10, choices=Status)
    progress = models.PositiveIntegerField("episodes watched", default=0)
    rating = models.DecimalField(
        max_digits=2, decimal_places=1, null=True, blank=True, choices=[(r, r) for r in RATINGS]
    )
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    rewatch_count = models.PositiveSmallIntegerField("times rewatched", default=0)
    notes = models.TextField("private notes", blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "list entries"
        constraints = [
            models.UniqueConstraint(fields=["user", "anime"], name="list_entry_once_per_anime"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="list_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=RATINGS),
                name="list_entry_rating_in_half_stars",
                violation_error_message="Rate from 0.5 to 5, in half stars.",
            ),
            models.CheckConstraint(
                condition=Q(finished_on__gte=F("started_on")),
                name="list_entry_finishes_after_start",
                violation_error_message="The finish date cannot be before the start date.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "status", "-updated_at"], name="list_entry_user_status_idx"
            ),
            models.Index(fields=["anime", "status"], name="list_entry_anime_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.anime.title}: {self.get_status_display()}"

    def figures(self) -> EntryFigures:
        return EntryFigures(status=self.status, rating=self.rating)

    def clean(self) -> None:
        if self.rating is not None and self.rating not in RATINGS:
            raise ValidationError({"rating": "Rate from 0.5 to 5, in half stars."})
        if self.started_on and self.finished_on and self.finished_on < self.started_on:
            raise ValidationError(
                {"finished_on": "The finish date cannot be before the start date."}
            )

    def capped_progress(self) -> int:
        """Progress never passes the anime's last episode (when the count is known)."""
        if self.anime.episodes is not None:
            return min(self.progress, self.anime.episodes)
        return self.progress

    @property
    def at_last_episode(self) -> bool:
        return self.anime.episodes is not None and self.progress >= self.anime.episodes


class RecommendationReason(models.TextChoices):
    LISTERS = "listers", "Listed by the same users"
    RELATION = "relation", "Related anime"
    TAGS = "tags", "Shared tags"
    STUDIO = "studio", "Same studio"


class RecommendationQuerySet(models.QuerySet):
    def for_anime_page(self, anime: Anime) -> RecommendationQuerySet:
        """The anime's recommendations, best first, with what their cards show: one query."""
        return (
            self.filter(anime=anime)
            .select_related("recommended")
            .only(
                "rank",
                "reason",
                "shared_listers",
                "shared_tags",
                "detail",
                "recommended__title",
                "recommended__slug",
                "recommended__kind",
                "recommended__episodes",
                "recommended__episode_minutes",
                "recommended__start_year",
                "recommended__updated_at",
            )
            .order_by("rank")
        )


class Recommendation(models.Model):
    """ "If you like `anime`, you might like `recommended`": the `rank`-th of its recommendations.

    Recomputed in bulk by `userlists.recommendations.recommend_anime()` (command
    `recommend_anime`); never edited by hand. What the card says comes stored with the row, so
    the anime page reads them all in one query: `shared_listers` for LISTERS, the names of
    `shared_tags` for TAGS, the studio's name (STUDIO) or the relation type (RELATION) in `detail`.
    """

    anime = models.ForeignKey(
        Anime, on_delete=models.CASCADE, related_name="recommendations", db_index=False
    )
    recommended = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=10, choices=RecommendationReason)
    shared_listers = models.PositiveIntegerField(default=0)
    shared_tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        constraints = [
            # Also the index the anime page reads its recommendations by, in order.
            models.UniqueConstraint(fields=["anime", "rank"], name="recommendation_rank_unique"),
            models.UniqueConstraint(
                fields=["anime", "recommended"], name="recommendation_pair_unique"
            ),
            models.CheckConstraint(
                condition=~Q(anime=F("recommended")), name="recommendation_not_self"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=RecommendationReason.values),
                name="recommendation_reason_valid",
            ),
            models.CheckConstraint(condition=Q(rank__gt=0), name="recommendation_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"If you like anime {self.anime_id}: #{self.rank} anime {self.recommended_id}"

    def explanation(self, anime_title: str) -> str:
        """Why it is recommended, for a reader of `anime_title`'s page."""
        if self.reason == RecommendationReason.LISTERS:
            users = f"{self.shared_listers:,} user{'s' if self.shared_listers != 1 else ''}"
            return f"{users} who watched {anime_title} also watched this"
        if self.reason == RecommendationReason.TAGS:
            return f"Shares tags: {', '.join(self.shared_tags)}"
        if self.reason == RecommendationReason.STUDIO:
            return f"Same studio: {self.detail}"
        return RelationType(self.detail).label if self.detail in RelationType.values else "Related"
