"""The offline check of the recommendations: do they find what users went on to like?

Some users' likes are hidden (held out); recommendations are computed from everything else
(`recommend_anime(entries=…)`, so nothing held out leaks into them); then each of those users
gets ten anime, and a *hit* is a user for whom one of the ten is among their hidden likes.
Hit-rate@10 is the share of users with a hit. Two recommenders are measured on the same users:

- the recommender: the anime most recommended by the user's remaining likes, each scored by
  the sum of the recommendation scores pointing at it (item-to-item, as the anime pages do);
- the baseline, "most popular": the anime most liked by everyone, from the same data.

Both skip anime already on the user's list (what is left of it). It all runs in one transaction
that is rolled back, so the stored recommendations and pages are left as they were.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.expressions import RawSQL

from userlists.models import ListEntry, Recommendation
from userlists.recommendations import liked_entries, recommend_anime, temporary_table

HIT_AT = 10
MIN_LIKES = 5  # a user needs this many likes to be tested: some to learn from, some to hide


@dataclass(frozen=True)
class CheckSummary:
    users: int  # users tested
    held_out: int  # likes hidden
    recommender: float  # hit-rate@10
    popular: float  # hit-rate@10 of "most popular"
    compute_seconds: float  # recommend_anime() on what was not held out
    seconds: float

    @property
    def beats_popular(self) -> bool:
        return self.recommender > self.popular

    def __str__(self) -> str:
        verdict = "beats" if self.beats_popular else "does NOT beat"
        return (
            f"{self.users:,} users, {self.held_out:,} held-out likes:"
            f" hit-rate@{HIT_AT} recommender {self.recommender:.1%},"
            f" most popular {self.popular:.1%} (the recommender {verdict} it);"
            f" recommendations computed in {self.compute_seconds:.1f} s, {self.seconds:.1f} s in all"
        )


class _RollBack(Exception):
    pass


def check_recommendations(
    *, users: int = 1000, hold_out: float = 0.2, seed: int = 1
) -> CheckSummary:
    """Hold out `hold_out` of the likes (at least one) of `users` random users with at least
    MIN_LIKES likes, and measure both recommenders on them (see the module's docstring)."""
    started = time.monotonic()
    rng = random.Random(seed)
    candidates = list(
        liked_entries()
        .values("user_id")
        .annotate(likes=Count("id"))
        .filter(likes__gte=MIN_LIKES)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    tested = sorted(rng.sample(candidates, min(users, len(candidates))))
    held_out: list[int] = []
    for likes in _likes_of(tested).values():
        rng.shuffle(likes)
        held_out += likes[: max(1, round(len(likes) * hold_out))]
    result: CheckSummary | None = None
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE check_held_out ON COMMIT DROP AS"
                " SELECT id, user_id, anime_id FROM "
                f"{connection.ops.quote_name(ListEntry._meta.db_table)}"
                " WHERE id = ANY(%s)",
                [held_out],
            )
            cursor.execute(
                "CREATE TEMPORARY TABLE check_users (user_id) ON COMMIT DROP AS"
                " SELECT unnest(%s::bigint[])",
                [tested],
            )
            kept = ListEntry.objects.exclude(pk__in=RawSQL("SELECT id FROM check_held_out", ()))
            temporary_table(
                cursor, "check_likes", liked_entries(kept).order_by().values("user_id", "anime_id")
            )
            for table in ("check_held_out", "check_users", "check_likes"):
                cursor.execute(f"ANALYZE {table}")
            computed = recommend_anime(kept)
            hits = {}
            for name, sql in (("recommender", _RECOMMENDER_HITS), ("popular", _POPULAR_HITS)):
                cursor.execute(
                    sql.format(
                        entries=connection.ops.quote_name(ListEntry._meta.db_table),
                        recommendation=connection.ops.quote_name(Recommendation._meta.db_table),
                    ),
                    {"k": HIT_AT},
                )
                hits[name] = cursor.fetchone()[0]
            result = CheckSummary(
                users=len(tested),
                held_out=len(held_out),
                recommender=hits["recommender"] / len(tested) if tested else 0.0,
                popular=hits["popular"] / len(tested) if tested else 0.0,
                compute_seconds=computed.seconds,
                seconds=time.monotonic() - started,
            )
            raise _RollBack
    except _RollBack:
        pass
    assert result is not None
    return result


def _likes_of(users: list[int]) -> dict[int, list[int]]:
    likes: dict[int, list[int]] = {user_id: [] for user_id in users}
    for entry_id, user_id in (
        liked_entries().filter(user_id__in=users).order_by("id").values_list("id", "user_id")
    ):
        likes[user_id].append(entry_id)
    return likes


# Whether the anime (`anime_id`) is on what is left of the user's (`user_id`) list: neither
# recommender may offer it again. Through the unique (user, anime) index.
_KNOWN = """
EXISTS (
    SELECT FROM {{entries}} AS entry
    WHERE entry.user_id = {user_id} AND entry.anime_id = {anime_id}
        AND entry.id NOT IN (SELECT id FROM check_held_out)
)
"""

_RECOMMENDER_HITS = """
WITH scored AS (
    SELECT check_likes.user_id, recommendation.recommended_id AS anime_id,
           sum(recommendation.score) AS score
    FROM check_likes
        JOIN check_users USING (user_id)
        JOIN {{recommendation}} AS recommendation
            ON recommendation.anime_id = check_likes.anime_id
    GROUP BY 1, 2
),
top AS (
    SELECT user_id, anime_id FROM (
        SELECT scored.*, row_number() OVER (
            PARTITION BY user_id ORDER BY score DESC, anime_id
        ) AS n
        FROM scored
        WHERE NOT {known}
    ) AS ranked
    WHERE n <= %(k)s
)
SELECT count(DISTINCT user_id) FROM top JOIN check_held_out USING (user_id, anime_id)
""".format(known=_KNOWN.format(user_id="scored.user_id", anime_id="scored.anime_id"))

_POPULAR_HITS = """
WITH popular AS MATERIALIZED (
    SELECT anime_id, count(*) AS likes FROM check_likes
    GROUP BY anime_id ORDER BY likes DESC, anime_id
    LIMIT 10000
),
top AS (
    SELECT check_users.user_id, pick.anime_id
    FROM check_users CROSS JOIN LATERAL (
        SELECT popular.anime_id FROM popular
        WHERE NOT {known}
        ORDER BY popular.likes DESC, popular.anime_id
        LIMIT %(k)s
    ) AS pick
)
SELECT count(DISTINCT user_id) FROM top JOIN check_held_out USING (user_id, anime_id)
""".format(known=_KNOWN.format(user_id="check_users.user_id", anime_id="popular.anime_id"))
