"""Rate limits kept in PostgreSQL: one counter row per scope, key and time window.

There is no Redis or Memcached here, and the page cache is per process, so the counters live in
the database every process shares. Counting is one INSERT … ON CONFLICT DO UPDATE … RETURNING
statement: concurrent requests queue on the row lock and each gets its own count, so two at once
cannot both slip under a limit. Windows are fixed (they start on multiples of their length), so a
burst that straddles two windows may get up to twice the limit through; the limits are set with
that in mind.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, models
from django.utils import timezone

# About one new window row in PRUNE_ONE_IN deletes every expired row, so the table stays small
# without a scheduled job.
PRUNE_ONE_IN = 100


class Counter(models.Model):
    """How many times `key` did the action `scope` limits in the window from `window_start`."""

    scope = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="throttle_one_counter_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.count} from {self.window_start:%Y-%m-%d %H:%M}"


class Throttled(Exception):  # noqa: N818 — it reads as what happened: the request was throttled
    """An action over its limit; `retry_after` is how many seconds until its window ends."""

    def __init__(self, rate: Rate, retry_after: int) -> None:
        super().__init__(f"{rate.scope}: over {rate.limit} per {rate.window}")
        self.rate = rate
        self.retry_after = retry_after

    @property
    def wait_text(self) -> str:
        """How long to wait, rounded up: "15 minutes", "40 seconds"."""
        if self.retry_after >= 90:
            minutes = math.ceil(self.retry_after / 60)
            return f"{minutes} minutes"
        seconds = max(self.retry_after, 1)
        return f"{seconds} second{'s' if seconds != 1 else ''}"


def clean(key: str) -> str:
    # Keys come from what visitors send (a username typed into the log-in form): PostgreSQL text
    # holds no NUL, and the column no more than 200 characters.
    return key.replace("\x00", "")[:200]


def now() -> datetime:
    # One place to read the clock, so tests can move it.
    return timezone.now()


@dataclass(frozen=True)
class Rate:
    """At most `limit` actions per `window` for each key (a user id, an address, a username).

    `message` is what the 429 page tells a visitor who went over it.
    """

    scope: str
    limit: int
    window: timedelta
    message: str = "You are doing that faster than Animedex allows."

    def hit(self, key: str) -> None:
        """Count one action by `key`; raise Throttled if it goes over the limit.

        Inside a transaction, an action refused (or rolled back for any other reason) takes
        its count back with it.
        """
        count, start = self._count(key)
        if count > self.limit:
            raise Throttled(self, self._seconds_left(start))

    def check(self, key: str) -> None:
        """Raise Throttled if `key` has used up the limit; count nothing (see `record`)."""
        start = self._window_start(now())
        used = (
            Counter.objects.filter(scope=self.scope, key=clean(key), window_start=start)
            .values_list("count", flat=True)
            .first()
        )
        if used is not None and used >= self.limit:
            raise Throttled(self, self._seconds_left(start))

    def record(self, key: str) -> None:
        """Count one event (a failed log-in) that `check` weighs next time; refuse nothing now."""
        self._count(key)

    def reset(self, key: str) -> None:
        Counter.objects.filter(scope=self.scope, key=clean(key)).delete()

    def _window_start(self, moment: datetime) -> datetime:
        seconds = int(self.window.total_seconds())
        epoch = int(moment.timestamp())
        return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)

    def _seconds_left(self, start: datetime) -> int:
        return max(1, math.ceil((start + self.window - now()).total_seconds()))

    def _count(self, key: str) -> tuple[int, datetime]:
        start = self._window_start(now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {Counter._meta.db_table} (scope, key, window_start, expires_at, count)
                VALUES (%s, %s, %s, %s, 1)
                ON CONFLICT (scope, key, window_start)
                DO UPDATE SET count = {Counter._meta.db_table}.count + 1
                RETURNING count
                """,
                [self.scope, clean(key), start, start + self.window],
            )
            (count,) = cursor.fetchone()
        if count == 1 and random.randrange(PRUNE_ONE_IN) == 0:
            prune()
        return count, start


def prune() -> int:
    """Delete the counters of windows that have ended; how many went."""
    deleted, _ = Counter.objects.filter(expires_at__lt=now()).delete()
    return deleted
