"""Rank and popularity: the catalog's two league tables, recomputed in one SQL statement.

Votes and means change with every rating (userlists keeps them exact as they happen); the tables
are recomputed from those stored figures by `rank_anime`, run every 10 minutes from cron or a
systemd timer and once when `make run` starts. A run on the 14k demo catalog takes well under a
second and writes only the anime whose rank or popularity moved, so running it often is cheap:

    */10 * * * *  cd /srv/animedex && uv run --frozen --no-sync python manage.py rank_anime
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction

from catalog.models import Anime, CatalogVersion

# How many votes an anime needs to be ranked, and how many votes' worth of the catalog-wide
# mean its score starts from (the m of the weighted score). An anime with exactly MIN_VOTES
# votes is judged half on its own mean, half on the catalog's.
MIN_VOTES = 10


@dataclass(frozen=True)
class RankSummary:
    ranked: int  # anime with a rank (at least MIN_VOTES votes)
    popular: int  # anime with a popularity (on at least one list)
    changed: int  # anime whose rank or popularity this run changed
    seconds: float

    def __str__(self) -> str:
        return (
            f"ranked {self.ranked:,} anime, {self.popular:,} by popularity"
            f" ({self.changed:,} changed) in {self.seconds:.2f} s"
        )


def rank_anime() -> RankSummary:
    """Set every anime's `rank` and `popularity` from the stored figures, in one statement.

    Rank #1 has the highest Bayesian weighted score

        WS = v/(v+m)·R + m/(v+m)·C

    with v the anime's votes, R its mean rating (`average_rating`), m = MIN_VOTES and C the
    mean of all ratings in the catalog, i.e. the mean of the anime's means weighted by their
    votes (Σ v·R / Σ v). Weighting by votes keeps C steady: with a plain mean of means, a crowd
    of anime with one vote each would drag it about. A few votes thus count for little and the
    score moves from C towards R as votes come in; IMDb's Top 250 uses the same formula. Anime
    with fewer than m votes get no rank (NULL). Equal scores go to the anime with more votes,
    then by title (its normal form, as the catalog sorts titles), then by id, so the order never
    depends on the plan.

    Popularity #1 is the anime on most lists (any status); anime on no list have none (NULL).
    Equal counts go by title, then id.

    Only rows whose rank or popularity changes are written, so a re-run with nothing new to rank
    writes nothing. (SQL updates leave `updated_at` alone, and with it the covers' cache keys.)
    """
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_RANK_SQL.format(**_tables()), {"m": MIN_VOTES})
        ranked, popular, changed = cursor.fetchone()
        if changed:
            CatalogVersion.bump()  # list pages show ranks
    return RankSummary(ranked, popular, changed, time.monotonic() - started)


def _tables() -> dict[str, str]:
    return {"anime": connection.ops.quote_name(Anime._meta.db_table)}


# `prior` is MATERIALIZED: inlined, it may be re-aggregated for every ranked anime when the
# planner's row counts are stale (as right after a seed), which took seconds instead of ms.
_RANK_SQL = """
WITH prior AS MATERIALIZED (
    SELECT sum(votes * average_rating) / sum(votes) AS mean FROM {anime} WHERE votes > 0
),
ranked AS (
    SELECT anime.id, row_number() OVER (
        ORDER BY (anime.votes * anime.average_rating + %(m)s * prior.mean)
                 / (anime.votes + %(m)s) DESC,
                 anime.votes DESC, anime.search_name, anime.id
    ) AS rank
    FROM {anime} AS anime CROSS JOIN prior
    WHERE anime.votes >= %(m)s
),
popular AS (
    SELECT anime.id, row_number() OVER (
        ORDER BY anime.members DESC, anime.search_name, anime.id
    ) AS popularity
    FROM {anime} AS anime
    WHERE anime.members > 0
),
changed AS (
    UPDATE {anime} AS anime
    SET rank = ranked.rank, popularity = popular.popularity,
        page_version = anime.page_version + 1
    FROM {anime} AS current
        LEFT JOIN ranked ON ranked.id = current.id
        LEFT JOIN popular ON popular.id = current.id
    WHERE anime.id = current.id
        AND (anime.rank, anime.popularity) IS DISTINCT FROM (ranked.rank, popular.popularity)
    RETURNING 1
)
SELECT (SELECT count(*) FROM ranked), (SELECT count(*) FROM popular), (SELECT count(*) FROM changed)
"""
