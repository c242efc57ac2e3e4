""" "If you like this anime, you might like…": item-to-item recommendations from the users' lists.

Two anime go together when the same people liked both. An entry is a *like* when it is watched
or being watched and not rated below POSITIVE_RATING stars; lists that are not public never
count (accounts.privacy). For each pair of anime, `shared` is how many users like both, and

    score(a → b) = shared / √(likes(a) · likes(b)) · shared / (shared + SHRINKAGE)

the cosine of the two anime's sets of fans, shrunk towards 0 when few users are behind it. The
cosine divides by both anime's fan counts, so an anime that everyone lists, and that therefore
co-occurs with everything, does not top every list; the shrinkage keeps two fans in common from
looking like a perfect match. Only pairs with at least MIN_SHARED users count, and only anime
liked by at least MIN_LIKES users get these ("listers") recommendations.

An anime with fewer than TOP_N of them is topped up from what the catalog knows (the content
tier, after every listers one): its relations (sequel, prequel…), shared tags weighted by their
rarity (a weighted Jaccard: the inverse document frequencies of the tags both have over those of
the tags either has) and the same studio. Its candidates are, per tag and per studio, the
CANDIDATES_PER_TAG / CANDIDATES_PER_STUDIO anime on most lists, so the work stays linear in the
catalog and the suggestions are anime people know.

Everything is set-based SQL in one transaction: the inputs are read through the ORM into
temporary tables (so the privacy rule and the catalog's schema stay with their owners), the
pairs are counted with a self-join of the likes, each user's likes capped at the
LIKES_PER_USER most recent (a list of 5,000 anime would otherwise make 12 million pairs alone),
and each anime keeps its TOP_N best with a window function. Only the anime whose recommendations
changed are rewritten, and their pages bumped (page cache) in the same transaction, so a re-run
that finds nothing new writes nothing. Run it periodically (`manage.py recommend_anime`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from accounts.privacy import visible_lists
from catalog.models import Anime, AnimeRelation, RelationType
from userlists.models import ListEntry, Recommendation, RecommendationReason, Status

TOP_N = 20  # recommendations kept per anime from the listers tier
SHOWN = 10  # shown on an anime's page; the content tier tops an anime up to this many
POSITIVE_RATING = 3  # stars: a watched anime rated lower is not a like
LIKES_PER_USER = 150  # each user's most recently updated likes that count
MIN_LIKES = 5  # likes an anime needs to get listers recommendations
MIN_SHARED = 3  # users two anime need in common to be recommended together
SHRINKAGE = 5.0  # in users: how strongly a small overlap is discounted
ALPHA = 0.7  # 0.5 would be the cosine: popular anime are discounted a little less (docstring)
CANDIDATES_PER_TAG = 20
CANDIDATES_PER_STUDIO = 20
STUDIO_WEIGHT = 0.3  # what sharing a studio adds to the tags' weighted Jaccard (0 to 1)
RELATION_WEIGHT = 2.0  # a relation (sequel…) comes before anything tags and studios suggest
SHOWN_TAGS = 3  # shared tags named in the explanation, the rarest first
WORK_MEM = "256MB"  # for this transaction's hash aggregates, instead of spilling to disk

# The relation seen from the other end: if B is A's sequel, A is B's prequel.
INVERSE_RELATION = {
    RelationType.SEQUEL: RelationType.PREQUEL,
    RelationType.PREQUEL: RelationType.SEQUEL,
    RelationType.SIDE_STORY: RelationType.PARENT_STORY,
    RelationType.PARENT_STORY: RelationType.SIDE_STORY,
    RelationType.ALTERNATIVE: RelationType.ALTERNATIVE,
    RelationType.SPIN_OFF: RelationType.PARENT_STORY,
    RelationType.SUMMARY: RelationType.OTHER,
    RelationType.ADAPTATION: RelationType.ADAPTATION,
    RelationType.OTHER: RelationType.OTHER,
}

# The temporary tables, dropped at the end so that a caller's transaction can run it again.
_TEMP_TABLES = (
    "rec_likes",
    "rec_basket",
    "rec_fans",
    "rec_listers",
    "rec_tags",
    "rec_studios",
    "rec_relations",
    "rec_members",
    "rec_short",
    "rec_tagged",
    "rec_made_by",
    "rec_content",
    "rec_kept",
    "rec_new",
    "rec_changed",
)


@dataclass(frozen=True)
class RecommendSummary:
    anime: int  # anime with recommendations
    recommendations: int
    from_listers: int  # recommendations of the listers kind
    changed: int  # anime whose recommendations this run changed
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.recommendations:,} recommendations for {self.anime:,} anime"
            f" ({self.from_listers:,} from users' lists, the rest from tags, studios and"
            f" relations); {self.changed:,} anime changed; in {self.seconds:.1f} s"
        )


def liked_entries(entries: QuerySet[ListEntry] | None = None) -> QuerySet[ListEntry]:
    """The likes among `entries` (default: all) that recommendations may learn from: watched
    or watching, not rated below POSITIVE_RATING, on public lists only."""
    entries = ListEntry.objects.all() if entries is None else entries
    return (
        entries.filter(visible_lists(AnonymousUser()))
        .filter(status__in=[Status.WATCHED, Status.WATCHING])
        .exclude(rating__lt=POSITIVE_RATING)
    )


def recommend_anime(entries: QuerySet[ListEntry] | None = None) -> RecommendSummary:
    """Recompute every anime's recommendations from the likes among `entries` (default: all
    list entries; the offline evaluation passes all but the ones it holds out).

    All or nothing, in one transaction; see the module's docstring for the method.
    """
    started = time.monotonic()
    likes = liked_entries(entries).order_by().values("user_id", "anime_id", "updated_at")
    with transaction.atomic(), connection.cursor() as cursor:
        table = connection.ops.quote_name(Recommendation._meta.db_table)
        # Two runs at once would both rewrite the same rows; readers are not blocked.
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        temporary_table(cursor, "rec_likes", likes)
        temporary_table(
            cursor,
            "rec_tags",
            Anime.tags.through.objects.order_by().values("anime_id", "tag_id", "tag__name"),
        )
        temporary_table(
            cursor,
            "rec_studios",
            Anime.studios.through.objects.order_by().values(
                "anime_id", "studio_id", "studio__name"
            ),
        )
        temporary_table(
            cursor,
            "rec_relations",
            AnimeRelation.objects.order_by().values(
                "from_anime_id", "to_anime_id", "relation_type"
            ),
        )
        temporary_table(cursor, "rec_members", Anime.objects.order_by().values("id", "members"))
        parameters = {
            "top_n": TOP_N,
            "shown": SHOWN,
            "likes_per_user": LIKES_PER_USER,
            "min_likes": MIN_LIKES,
            "min_shared": MIN_SHARED,
            "shrinkage": SHRINKAGE,
            "alpha": ALPHA,
            "per_tag": CANDIDATES_PER_TAG,
            "per_studio": CANDIDATES_PER_STUDIO,
            "studio_weight": STUDIO_WEIGHT,
            "relation_weight": RELATION_WEIGHT,
            "shown_tags": SHOWN_TAGS,
            "inverse_from": [relation.value for relation in INVERSE_RELATION],
            "inverse_to": [relation.value for relation in INVERSE_RELATION.values()],
            "listers": RecommendationReason.LISTERS.value,
            "relation": RecommendationReason.RELATION.value,
            "tags": RecommendationReason.TAGS.value,
            "studio": RecommendationReason.STUDIO.value,
        }
        for statement in _STATEMENTS:
            cursor.execute(statement.format(recommendation=table), parameters)
        cursor.execute(
            "SELECT count(DISTINCT anime_id), count(*), count(*) FILTER (WHERE reason = %s)"
            " FROM rec_new",
            [RecommendationReason.LISTERS.value],
        )
        anime, recommendations, from_listers = cursor.fetchone()
        changed = Anime.objects.filter(
            pk__in=RawSQL("SELECT anime_id FROM rec_changed", ())
        ).page_changed()
        cursor.execute(f"DROP TABLE {', '.join(_TEMP_TABLES)}")
    return RecommendSummary(
        anime, recommendations, from_listers, changed, time.monotonic() - started
    )


def temporary_table(cursor, name: str, queryset: QuerySet) -> None:
    """A temporary table (dropped at commit) holding the queryset's rows (its values() names become columns)."""
    sql, params = queryset.query.sql_with_params()
    columns = ", ".join(
        connection.ops.quote_name(column)
        for column in [*queryset.query.values_select, *queryset.query.annotation_select]
    )
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns}) ON COMMIT DROP AS {sql}", params)


_STATEMENTS = [
    # Each user's most recent likes, of anime liked often enough to be in a counted pair.
    """
    CREATE TEMPORARY TABLE rec_basket ON COMMIT DROP AS
    SELECT user_id, anime_id FROM (
        SELECT user_id, anime_id, row_number() OVER (
            PARTITION BY user_id ORDER BY updated_at DESC, anime_id
        ) AS n
        FROM rec_likes
    ) AS ranked
    WHERE n <= %(likes_per_user)s
    """,
    """
    CREATE TEMPORARY TABLE rec_fans ON COMMIT DROP AS
    SELECT anime_id, count(*) AS fans FROM rec_basket GROUP BY anime_id
    """,
    "DELETE FROM rec_basket USING rec_fans"
    " WHERE rec_fans.anime_id = rec_basket.anime_id AND rec_fans.fans < %(min_shared)s",
    "ANALYZE rec_basket",
    # Co-occurrence, each pair counted once (a < b), then scored both ways; the TOP_N per anime.
    """
    CREATE TEMPORARY TABLE rec_listers ON COMMIT DROP AS
    WITH pairs AS (
        SELECT mine.anime_id AS a, theirs.anime_id AS b, count(*) AS shared
        FROM rec_basket AS mine
            JOIN rec_basket AS theirs
                ON theirs.user_id = mine.user_id AND theirs.anime_id > mine.anime_id
        GROUP BY 1, 2
        HAVING count(*) >= %(min_shared)s
    ),
    scored AS (
        SELECT pairs.a, pairs.b, pairs.shared,
               pairs.shared / (pairs.shared + %(shrinkage)s) AS shrink,
               fa.fans::float8 AS fans_a, fb.fans::float8 AS fans_b
        FROM pairs
            JOIN rec_fans AS fa ON fa.anime_id = pairs.a
            JOIN rec_fans AS fb ON fb.anime_id = pairs.b
    ),
    both_ways AS (
        SELECT a AS anime_id, b AS recommended_id, shared,
               round(1e6 * shared * shrink
                     / (power(fans_a, %(alpha)s) * power(fans_b, 1 - %(alpha)s))) / 1e6 AS score
        FROM scored
        WHERE fans_a >= %(min_likes)s
        UNION ALL
        SELECT b, a, shared,
               round(1e6 * shared * shrink
                     / (power(fans_b, %(alpha)s) * power(fans_a, 1 - %(alpha)s))) / 1e6
        FROM scored
        WHERE fans_b >= %(min_likes)s
    )
    SELECT anime_id, recommended_id, shared, score FROM (
        SELECT *, row_number() OVER (
            PARTITION BY anime_id ORDER BY score DESC, recommended_id
        ) AS n
        FROM both_ways
    ) AS ranked
    WHERE n <= %(top_n)s
    """,
    "ANALYZE rec_listers",
    # The content tier, for the anime that the listers tier leaves short of TOP_N.
    """
    CREATE TEMPORARY TABLE rec_short ON COMMIT DROP AS
    SELECT id AS anime_id FROM rec_members
    EXCEPT
    SELECT anime_id FROM rec_listers GROUP BY anime_id HAVING count(*) >= %(top_n)s
    """,
    # Each tag's weight is its inverse document frequency; `total` is the anime's tags' sum.
    """
    CREATE TEMPORARY TABLE rec_tagged ON COMMIT DROP AS
    WITH tag_weight AS (
        SELECT tag_id, ln((SELECT count(*) FROM rec_members)::float8 / count(*)) AS idf
        FROM rec_tags GROUP BY tag_id
    )
    SELECT rec_tags.anime_id, rec_tags.tag_id, rec_tags.tag__name AS name, tag_weight.idf,
           sum(tag_weight.idf) OVER (PARTITION BY rec_tags.anime_id) AS total,
           row_number() OVER (
               PARTITION BY rec_tags.tag_id ORDER BY rec_members.members DESC, rec_tags.anime_id
           ) AS popularity
    FROM rec_tags
        JOIN tag_weight ON tag_weight.tag_id = rec_tags.tag_id
        JOIN rec_members ON rec_members.id = rec_tags.anime_id
    """,
    "CREATE INDEX ON rec_tagged (anime_id)",
    "ANALYZE rec_tagged",
    """
    CREATE TEMPORARY TABLE rec_made_by ON COMMIT DROP AS
    SELECT rec_studios.anime_id, rec_studios.studio_id, rec_studios.studio__name AS name,
           row_number() OVER (
               PARTITION BY rec_studios.studio_id ORDER BY rec_members.members DESC, anime_id
           ) AS popularity
    FROM rec_studios JOIN rec_members ON rec_members.id = rec_studios.anime_id
    """,
    # One aggregate over the links two anime share (tags, studio, relation): cheaper than
    # joining three aggregates.
    """
    CREATE TEMPORARY TABLE rec_content ON COMMIT DROP AS
    WITH inverse AS (
        SELECT * FROM unnest(%(inverse_from)s::text[], %(inverse_to)s::text[])
            AS inverse (relation_type, inverse_type)
    ),
    links AS (
        SELECT mine.anime_id, theirs.anime_id AS recommended_id, mine.idf,
               mine.total + theirs.total AS totals, NULL AS studio, NULL AS relation_type
        FROM rec_tagged AS mine
            JOIN rec_short USING (anime_id)
            JOIN rec_tagged AS theirs
                ON theirs.tag_id = mine.tag_id AND theirs.anime_id <> mine.anime_id
                AND theirs.popularity <= %(per_tag)s
        UNION ALL
        SELECT mine.anime_id, theirs.anime_id, NULL, NULL, mine.name, NULL
        FROM rec_made_by AS mine
            JOIN rec_short USING (anime_id)
            JOIN rec_made_by AS theirs
                ON theirs.studio_id = mine.studio_id AND theirs.anime_id <> mine.anime_id
                AND theirs.popularity <= %(per_studio)s
        UNION ALL
        SELECT from_anime_id, to_anime_id, NULL, NULL, NULL, relation_type
        FROM rec_relations JOIN rec_short ON rec_short.anime_id = rec_relations.from_anime_id
        UNION ALL
        -- Relations recorded one way only, seen from the other end.
        SELECT to_anime_id, from_anime_id, NULL, NULL, NULL, inverse.inverse_type
        FROM rec_relations
            JOIN rec_short ON rec_short.anime_id = rec_relations.to_anime_id
            JOIN inverse USING (relation_type)
        WHERE NOT EXISTS (
            SELECT FROM rec_relations AS back
            WHERE back.from_anime_id = rec_relations.to_anime_id
                AND back.to_anime_id = rec_relations.from_anime_id
        )
    ),
    shared AS (
        SELECT anime_id, recommended_id,
               -- Weighted Jaccard: the shared tags' weight over the weight of either's tags.
               coalesce(sum(idf) / (min(totals) - sum(idf)), 0) AS jaccard,
               min(studio) AS studio, min(relation_type) AS relation_type
        FROM links
        GROUP BY anime_id, recommended_id
    ),
    scored AS (
        SELECT *, round(1e6 * (jaccard
                               + CASE WHEN studio IS NOT NULL THEN %(studio_weight)s ELSE 0 END
                               + CASE WHEN relation_type IS NOT NULL
                                      THEN %(relation_weight)s ELSE 0 END)) / 1e6 AS score
        FROM shared
    )
    SELECT anime_id, recommended_id, score,
           CASE WHEN relation_type IS NOT NULL THEN %(relation)s
                WHEN studio IS NOT NULL AND jaccard < %(studio_weight)s THEN %(studio)s
                ELSE %(tags)s END AS reason,
           coalesce(relation_type, studio, '') AS detail
    FROM (
        SELECT *, row_number() OVER (
            PARTITION BY anime_id ORDER BY score DESC, recommended_id
        ) AS n
        FROM scored
    ) AS ranked
    WHERE n <= %(shown)s
    """,
    "ANALYZE rec_content",
    # Listers first, then content; each anime once, up to TOP_N from listers or SHOWN in all.
    """
    CREATE TEMPORARY TABLE rec_kept ON COMMIT DROP AS
    WITH candidates AS (
        SELECT anime_id, recommended_id, 0 AS tier, score, %(listers)s AS reason,
               shared AS shared_listers, '' AS detail
        FROM rec_listers
        UNION ALL
        SELECT anime_id, recommended_id, 1, score, reason, 0,
               CASE WHEN reason = %(tags)s THEN '' ELSE detail END
        FROM rec_content
    ),
    best AS (
        SELECT DISTINCT ON (anime_id, recommended_id) *
        FROM candidates ORDER BY anime_id, recommended_id, tier
    )
    SELECT anime_id, recommended_id, rank, score, reason, shared_listers, detail
    FROM (
        SELECT *, row_number() OVER (
            PARTITION BY anime_id ORDER BY tier, score DESC, recommended_id
        ) AS rank
        FROM best
    ) AS ranked
    WHERE rank <= CASE WHEN tier = 0 THEN %(top_n)s ELSE %(shown)s END
    """,
    "ANALYZE rec_kept",
    # The tags named in a "shares tags" explanation, the rarest first.
    """
    CREATE TEMPORARY TABLE rec_new ON COMMIT DROP AS
    WITH named AS (
        SELECT kept.anime_id, kept.recommended_id,
               (array_agg(mine.name::text ORDER BY mine.idf DESC, mine.name))[1:%(shown_tags)s]
                   AS names
        FROM rec_kept AS kept
            JOIN rec_tagged AS mine ON mine.anime_id = kept.anime_id
            JOIN rec_tagged AS theirs
                ON theirs.anime_id = kept.recommended_id AND theirs.tag_id = mine.tag_id
        WHERE kept.reason = %(tags)s
        GROUP BY 1, 2
    )
    SELECT kept.*, coalesce(named.names, '{{}}') AS shared_tags
    FROM rec_kept AS kept LEFT JOIN named USING (anime_id, recommended_id)
    """,
    # The anime whose recommendations differ from the stored ones; only they are rewritten.
    """
    CREATE TEMPORARY TABLE rec_changed ON COMMIT DROP AS
    SELECT DISTINCT anime_id
    FROM rec_new AS new FULL JOIN {recommendation} AS old USING (anime_id, rank)
    WHERE (new.recommended_id, new.score, new.reason, new.shared_listers,
           new.shared_tags::text[], new.detail)
        IS DISTINCT FROM (old.recommended_id, old.score, old.reason, old.shared_listers,
                          old.shared_tags::text[], old.detail)
    """,
    "DELETE FROM {recommendation} WHERE anime_id IN (SELECT anime_id FROM rec_changed)",
    """
    INSERT INTO {recommendation}
        (anime_id, recommended_id, rank, score, reason, shared_listers, shared_tags, detail)
    SELECT anime_id, recommended_id, rank, score, reason, shared_listers, shared_tags, detail
    FROM rec_new WHERE anime_id IN (SELECT anime_id FROM rec_changed)
    """,
]
