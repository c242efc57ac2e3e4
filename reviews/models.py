"""Reviews: long-form write-ups of an anime with category scores, helpful votes and reports.

A vote changes its review's stored counts in the same transaction, by F() increments, so the
counts stay exact under concurrent votes. A hidden review stays in the database, but
`Review.objects.visible()`, which every page and the feed start from, leaves it out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import Cast, Sqrt
from django.urls import reverse
from django.utils import timezone

from catalog.models import Anime
from reviews.markup import excerpt, render_body
from throttle.models import Rate, Throttled

SCORE_CHOICES = [(n, str(n)) for n in range(1, 11)]
SCORE_FIELDS = ("story", "animation", "sound", "characters", "overall")
MIN_BODY_LENGTH = 300
MAX_BODY_LENGTH = 20_000
EXCERPT_WORDS = 60
# At most RATE_LIMIT new reviews by one author a minute.
REVIEW_POSTS = Rate(
    "review-posts",
    limit=3,
    window=timedelta(minutes=1),
    message="You are posting reviews too fast.",
)
RATE_LIMIT = REVIEW_POSTS.limit
# Edits, deletions, votes and reports by one member: generous, against scripts, not people.
REVIEW_WRITES = Rate(
    "review-writes",
    limit=60,
    window=timedelta(minutes=1),
    message="You are changing reviews too fast.",
)
# The normal quantile for 95% confidence.
WILSON_Z = 1.96


class ReviewLimitReached(Exception):
    """The author posted RATE_LIMIT reviews within the current minute (REVIEW_POSTS)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Over {RATE_LIMIT} reviews a minute")
        self.retry_after = retry_after


class AlreadyReviewed(Exception):
    """The author has reviewed this anime already."""


def wilson_lower_bound(positive: str, negative: str, z: float = WILSON_Z) -> models.Expression:
    """The lower bound of the Wilson score interval for the share of positive votes, in SQL.

    With n = positive + negative votes and p = positive / n, the bound is

        (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)

    which, multiplied through by n, is (positive + z²/2 − z·√(positive·negative/n + z²/4)) /
    (n + z²). It is the share of readers who find the review helpful that we are 95% sure of:
    one "yes" out of one scores 0.21, 90 out of 100 scores 0.83, so a few lucky votes don't beat
    many good ones. No votes score 0.
    """
    up, down = Cast(F(positive), models.FloatField()), Cast(F(negative), models.FloatField())
    n = up + down
    square = z * z
    return Case(
        When(Q(**{positive: 0}) & Q(**{negative: 0}), then=Value(0.0)),
        default=(up + Value(square / 2) - Value(z) * Sqrt(up * down / n + Value(square / 4)))
        / (n + Value(square)),
        output_field=models.FloatField(),
    )


# Each order ends with the unique id, so pages never overlap.
REVIEW_SORTS = {
    "helpful": (F("helpful_score").desc(), F("created_at").desc(), F("id").desc()),
    "newest": (F("created_at").desc(), F("id").desc()),
    "highest": (F("overall").desc(), F("helpful_score").desc(), F("id").desc()),
    "lowest": (F("overall").asc(), F("helpful_score").desc(), F("id").desc()),
}


class ReviewQuerySet(models.QuerySet):
    def visible(self) -> ReviewQuerySet:
        """Reviews anyone may read: not hidden by the moderators."""
        return self.filter(hidden_at=None)

    def visible_to(self, viewer) -> ReviewQuerySet:
        """What `viewer` may open: visible reviews, their own hidden ones (to read why), and for
        staff every review."""
        if viewer.is_authenticated and viewer.is_staff:
            return self
        if viewer.is_authenticated:
            return self.filter(Q(hidden_at=None) | Q(author=viewer))
        return self.visible()

    def for_cards(self) -> ReviewQuerySet:
        """What a review card shows (title, scores, author, anime, excerpt), in the same query."""
        return self.select_related("anime", "author").defer("body", "body_html", "anime__synopsis")

    def sorted_by(self, sort: str) -> ReviewQuerySet:
        return self.order_by(*REVIEW_SORTS[sort])

    def first_with_total(self, n: int) -> tuple[list[Review], int]:
        """The first `n` reviews and how many there are in all, in one query: the window count
        is taken before the LIMIT applies."""
        reviews = list(self.annotate(total=Window(Count("pk")))[:n])
        return reviews, reviews[0].total if reviews else 0

    @transaction.atomic
    def post(self, *, author, anime: Anime, **fields: Any) -> Review:
        """A new review of `anime` by `author`, unless they reviewed it already
        (AlreadyReviewed) or posted RATE_LIMIT reviews this minute (ReviewLimitReached).

        The post is counted in this transaction: two posts at once are counted one after the
        other (the counter's row lock), so both cannot slip under the limit, and a post that
        fails takes its count back with it.
        """
        try:
            REVIEW_POSTS.hit(str(author.pk))
        except Throttled as throttled:
            raise ReviewLimitReached(throttled.retry_after) from throttled
        try:
            with transaction.atomic():
                return self.create(author=author, anime=anime, **fields)
        except IntegrityError as error:
            if _violated_constraint(error) == "review_once_per_anime":
                raise AlreadyReviewed from error
            raise


def _violated_constraint(error: IntegrityError) -> str | None:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


class Review(models.Model):
    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="reviews")
    # Indexed by review_once_per_anime and review_author_recent_idx, which start with it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    title = models.CharField(max_length=150)
    # Plain text with a small Markdown subset (reviews.markup).
    body = models.TextField(max_length=MAX_BODY_LENGTH)
    story = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    animation = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    sound = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    characters = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    overall = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    spoilers = models.BooleanField("contains spoilers", default=False)
    # Rendered when the review is saved rather than on every page that shows it.
    body_html = models.TextField(editable=False)
    excerpt_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    helpful_votes = models.PositiveIntegerField(default=0, editable=False)
    unhelpful_votes = models.PositiveIntegerField(default=0, editable=False)
    helpful_score = models.GeneratedField(
        expression=wilson_lower_bound("helpful_votes", "unhelpful_votes"),
        output_field=models.FloatField(),
        db_persist=True,
    )
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_reason = models.CharField(
        max_length=500, blank=True, help_text="Shown to the author when the review is hidden."
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "anime"],
                name="review_once_per_anime",
                violation_error_message="You have already reviewed this anime.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 10}),
                    name=f"review_{name}_out_of_10",
                )
                for name in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(hidden_at=None) | ~Q(hidden_reason=""),
                name="review_hidden_with_reason",
                violation_error_message="Say why the review is hidden: its author sees it.",
            ),
        ]
        indexes = [
            # The anime page's most helpful reviews, and the latest reviews page and feed.
            models.Index(
                F("anime"),
                F("helpful_score").desc(),
                F("created_at").desc(),
                name="review_anime_helpful_idx",
                condition=Q(hidden_at=None),
            ),
            models.Index(
                F("created_at").desc(), name="review_latest_idx", condition=Q(hidden_at=None)
            ),
            models.Index(F("author"), F("created_at").desc(), name="review_author_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_body(self.body)
        self.excerpt_html = excerpt(self.body_html, EXCERPT_WORDS)
        super().save(*args, **kwargs)
        self.anime_page_changed()

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-detail", kwargs={"pk": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        self.anime_page_changed()
        return deleted

    def anime_page_changed(self) -> None:
        """The anime page shows its reviews, their votes and scores: its cached copy is stale."""
        Anime.objects.filter(pk=self.anime_id).page_changed()

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def votes(self) -> int:
        return self.helpful_votes + self.unhelpful_votes

    def scores(self) -> list[tuple[str, int]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in SCORE_FIELDS
        ]

    @transaction.atomic
    def vote(self, voter, helpful: bool | None) -> None:
        """Record `voter`'s answer to "was this review helpful?"; None withdraws it.

        One vote per voter and review (a unique constraint); the counts move with it.
        """
        if voter.pk == self.author_id:
            raise PermissionDenied("You cannot vote on your own review.")
        votes = HelpfulVote.objects.select_for_update().filter(review=self, voter=voter)
        before = votes.first()
        if before is None and helpful is not None:
            try:
                with transaction.atomic():
                    HelpfulVote.objects.create(review=self, voter=voter, helpful=helpful)
            except IntegrityError:
                # The same voter's concurrent first vote got in; the unique index made this
                # insert wait for it. Now it is a change of that vote.
                before = votes.get()
            else:
                self._count(None, helpful)
                return
        if before is None or before.helpful == helpful:
            return
        if helpful is None:
            before.delete()
        else:
            votes.update(helpful=helpful, updated_at=timezone.now())
        self._count(before.helpful, helpful)

    def _count(self, before: bool | None, after: bool | None) -> None:
        changes = {}
        if before is not None:
            field = "helpful_votes" if before else "unhelpful_votes"
            changes[field] = F(field) - 1
        if after is not None:
            field = "helpful_votes" if after else "unhelpful_votes"
            changes[field] = F(field) + 1
        Review.objects.filter(pk=self.pk).update(**changes)
        self.refresh_from_db(fields=["helpful_votes", "unhelpful_votes", "helpful_score"])
        self.anime_page_changed()

    @transaction.atomic
    def hide(self, reason: str, *, by) -> None:
        """Take the review off every page; its author still sees it, with `reason`. Its reports
        count as handled."""
        if not reason.strip():
            raise ValidationError(
                {"hidden_reason": "Say why the review is hidden: its author sees it."}
            )
        self.hidden_at, self.hidden_reason, self.hidden_by = timezone.now(), reason, by
        Review.objects.filter(pk=self.pk).update(
            hidden_at=self.hidden_at, hidden_reason=reason, hidden_by=by
        )
        self.reports.filter(handled_at=None).update(handled_at=self.hidden_at)
        self.anime_page_changed()

    @transaction.atomic
    def unhide(self) -> None:
        self.hidden_at, self.hidden_reason, self.hidden_by = None, "", None
        Review.objects.filter(pk=self.pk).update(hidden_at=None, hidden_reason="", hidden_by=None)
        self.anime_page_changed()


class HelpfulVote(models.Model):
    """A reader's answer to "was this review helpful?"."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_vote_set")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "voter"], name="helpful_vote_once_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.voter} found “{self.review}” {'helpful' if self.helpful else 'unhelpful'}"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Harassment, hate or abuse"
    SPOILERS = "spoilers", "Spoilers without the spoiler mark"
    OFF_TOPIC = "off_topic", "Not a review of this anime"
    OTHER = "other", "Something else"


class ReportQuerySet(models.QuerySet):
    def file(self, review: Review, reporter, *, reason: str, note: str) -> Report:
        """Report `review`; reporting it again replaces the reporter's earlier report."""
        if reporter.pk == review.author_id:
            raise PermissionDenied("You cannot report your own review.")
        report, _ = self.update_or_create(
            review=review,
            reporter=reporter,
            defaults={
                "reason": reason,
                "note": note,
                "created_at": timezone.now(),
                "handled_at": None,
            },
        )
        return report


class Report(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reports"
    )
    reason = models.CharField(max_length=20, choices=ReportReason)
    note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="report_once_per_reporter"),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.review}"
