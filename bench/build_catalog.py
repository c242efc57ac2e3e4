"""Grow the catalog in the current database to N anime for benchmarking.

    uv run --frozen --no-sync python bench/build_catalog.py --size 100000

The real demo rows (loaded first if the catalog is empty) are copied into variants with other
titles ("Cowboy Bebop: Another Story"), kinds, years, seasons and episode counts, along with
their alternative titles, tags and studios, so searches and filters match about as many rows per
100k as they would in a real catalog. Every anime then gets made-up votes, average rating and
members (the demo has none), ranked as catalog.ranking ranks them, so the sort orders have
realistic leading rows.

Everything is set-based SQL in one transaction; the pseudo-random choices hash the variant's
number or the anime's id, so a fresh database built to the same --size holds the same catalog.
Re-running with a larger size adds only the missing variants; a smaller size than the catalog
already has is refused.

This writes catalog tables directly, which no app code may do (ARCHITECTURE.md); it is a tool for
throwaway benchmark databases only.
"""

from __future__ import annotations

import argparse
import time

from benchenv import setup_django
from django.core.management import call_command
from django.db import connection, models, transaction

# A variant's slug is its source's plus "--v<round>": slugify never makes "--", so no real slug
# can collide with a variant's, and the suffix tells variants apart from real rows.
VARIANT_MARK = "--v"

# Round r of copies titles its variants with pattern (r - 1) mod len: %1$s is the source title,
# %2$s the variant's start year.
TITLE_PATTERNS = [
    "%1$s (Remake %2$s)",
    "%1$s: Another Story",
    "Shin %1$s",
    "%1$s II",
    "%1$s: The Movie",
    "%1$s Zero",
    "%1$s Recap",
    "%1$s Kai",
    "%1$s: Side Stories",
    "New %1$s (%2$s)",
]

HELPERS = """
CREATE FUNCTION pg_temp.bench_u(n bigint, k int) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$ SELECT (hashint8extended(n, k) & 1048575)::float8 / 1048576 $$;

CREATE FUNCTION pg_temp.bench_pick(choices anyarray, u float8) RETURNS anyelement
LANGUAGE sql IMMUTABLE AS $$ SELECT choices[1 + floor(u * cardinality(choices))::int] $$;

CREATE FUNCTION pg_temp.bench_title(title text, round bigint, year int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT left(format(
        (ARRAY[{patterns}])[1 + (round - 1) % {count}],
        title, coalesce(year::text, 'TBA')
    ), 500)
$$;
""".format(
    patterns=", ".join(f"'{pattern}'" for pattern in TITLE_PATTERNS), count=len(TITLE_PATTERNS)
)

# Variant n (numbered from 1 across runs) is round (n - 1) / R + 1 of copies of the real anime at
# position (n - 1) mod R, R being the number of real anime. Its id is taken from the sequence
# up front, so its figures can be worked out with everyone else's before it is inserted.
PLAN = f"""
CREATE TEMP TABLE bench_plan ON COMMIT DROP AS
WITH source AS (
    SELECT id, title, slug, start_year, row_number() OVER (ORDER BY id) - 1 AS position
    FROM catalog_anime WHERE strpos(slug, '{VARIANT_MARK}') = 0
), numbered AS (
    SELECT nextval(pg_get_serial_sequence('catalog_anime', 'id')) AS id, n,
           (n - 1) / %(real)s + 1 AS round, source.id AS source_id, source.title AS source_title,
           left(source.slug, 480) || '{VARIANT_MARK}' || ((n - 1) / %(real)s + 1) AS slug,
           CASE WHEN source.start_year IS NOT NULL THEN least(2026, greatest(1917,
               source.start_year + floor(pg_temp.bench_u(n, 3) * 21)::int - 10)) END AS start_year
    FROM generate_series(%(first)s::bigint, %(last)s) AS n
    JOIN source ON source.position = (n - 1) %% %(real)s
)
SELECT id, n, round, source_id, slug, start_year,
       pg_temp.bench_title(source_title, round, start_year) AS title
FROM numbered;
ANALYZE bench_plan;
"""

# Made-up figures for every anime, present or planned: 80% have votes, heavy-tailed (a few with
# 100k+, real anime more than variants, so the top of the popularity order is real titles), an
# average rating that grows a little with the votes, and members (lists holding it) at least as
# many as the votes. Rank and popularity follow from them as catalog.ranking defines them, so
# rank_anime() afterwards finds nothing to change.
FIGURES = """
CREATE TEMP TABLE bench_figures ON COMMIT DROP AS
WITH everyone AS (
    SELECT id, strpos(slug, '{variant_mark}') > 0 AS variant, search_name FROM catalog_anime
    UNION ALL
    SELECT id, true, {search_name}(title) FROM bench_plan
), voted AS (
    SELECT id, search_name,
           CASE WHEN pg_temp.bench_u(id, 20) >= 0.8 THEN 0
                WHEN variant THEN floor(exp(pg_temp.bench_u(id, 21) * 9))::int
                ELSE floor(exp(pg_temp.bench_u(id, 21) * 12.5))::int END AS votes
    FROM everyone
), rated AS (
    SELECT id, search_name, votes,
           CASE WHEN votes > 0 THEN round(least(5, 1.3 + 0.08 * ln(votes) + 1.4 * (
                   pg_temp.bench_u(id, 22) + pg_temp.bench_u(id, 23)))::numeric, 3)
           END AS average_rating,
           CASE WHEN votes > 0 THEN votes + floor(votes * pg_temp.bench_u(id, 24))::int
                WHEN pg_temp.bench_u(id, 25) < 0.5 THEN ceil(20 * pg_temp.bench_u(id, 24))::int
                ELSE 0 END AS members
    FROM voted
), prior AS MATERIALIZED (
    SELECT sum(votes * average_rating) / sum(votes) AS mean FROM rated WHERE votes > 0
)
SELECT id, votes, average_rating, members,
       CASE WHEN votes >= %(m)s THEN row_number() OVER (
           PARTITION BY votes >= %(m)s
           ORDER BY (votes * average_rating + %(m)s * prior.mean) / (votes + %(m)s) DESC,
                    votes DESC, search_name, id) END AS rank,
       CASE WHEN members > 0 THEN row_number() OVER (
           PARTITION BY members > 0 ORDER BY members DESC, search_name, id) END AS popularity
FROM rated CROSS JOIN prior;
ANALYZE bench_figures;
"""

# Rows already holding their figures are left alone, so a re-run writes nothing; every write
# recomputes the generated columns and their trigram index entries, the slow part of a build.
UPDATE_FIGURES = """
UPDATE catalog_anime a
SET votes = f.votes, average_rating = f.average_rating, members = f.members, rank = f.rank,
    popularity = f.popularity
FROM bench_figures f
WHERE a.id = f.id
  AND (a.votes, a.average_rating, a.members, a.rank, a.popularity)
      IS DISTINCT FROM (f.votes, f.average_rating, f.members, f.rank, f.popularity)
"""

VARIANT_ANIME = """
SELECT {values}
FROM bench_plan p
JOIN catalog_anime a ON a.id = p.source_id
JOIN bench_figures f ON f.id = p.id
"""

# Everything else is copied from the source row (a.<column>).
VARIANT_ANIME_COLUMNS = {
    "id": "p.id",
    "title": "p.title",
    "slug": "p.slug",
    "kind": """CASE WHEN pg_temp.bench_u(p.n, 1) < 0.6 OR a.kind IS NULL THEN a.kind
               ELSE pg_temp.bench_pick(ARRAY['tv', 'movie', 'ova', 'web', 'special', 'music'],
                                       pg_temp.bench_u(p.n, 2)) END""",
    "episodes": """CASE WHEN a.episodes IS NOT NULL
                        THEN greatest(1, round(a.episodes * (0.5 + pg_temp.bench_u(p.n, 4)))) END""",
    "airing_status": """CASE WHEN p.start_year >= 2024 THEN 'upcoming'
                             WHEN p.start_year = 2023 THEN 'airing'
                             ELSE a.airing_status END""",
    "start_year": "p.start_year",
    "start_season": """CASE WHEN a.start_season IS NOT NULL
                            THEN pg_temp.bench_pick(ARRAY['winter', 'spring', 'summer', 'fall'],
                                                    pg_temp.bench_u(p.n, 5)) END""",
    "end_year": "coalesce(p.start_year + (a.end_year - a.start_year), a.end_year)",
    "average_rating": "f.average_rating",
    "votes": "f.votes",
    "members": "f.members",
    "rank": "f.rank",
    "popularity": "f.popularity",
    "import_key": "NULL",
    "created_at": "now()",
    "updated_at": "now()",
}

VARIANT_TITLES = """
SELECT {values}
FROM bench_plan p
JOIN catalog_animetitle t ON t.anime_id = p.source_id
ON CONFLICT DO NOTHING
"""

VARIANT_TITLE_COLUMNS = {
    "anime_id": "p.id",
    "title": "pg_temp.bench_title(t.title, p.round, p.start_year)",
}

# Most of the source's tags (~15% dropped), and a random extra tag on ~30% of the variants.
VARIANT_TAGS = """
INSERT INTO catalog_anime_tags (anime_id, tag_id)
SELECT p.id, t.tag_id
FROM bench_plan p JOIN catalog_anime_tags t ON t.anime_id = p.source_id
WHERE pg_temp.bench_u(p.n * 1000 + t.tag_id, 6) >= 0.15
UNION ALL
SELECT p.id, pg_temp.bench_pick(tags.ids, pg_temp.bench_u(p.n, 8))
FROM bench_plan p, (SELECT array_agg(id ORDER BY id) AS ids FROM catalog_tag) tags
WHERE pg_temp.bench_u(p.n, 7) < 0.3
ON CONFLICT DO NOTHING
"""

# The source's studios, a quarter of them swapped for a random studio.
VARIANT_STUDIOS = """
INSERT INTO catalog_anime_studios (anime_id, studio_id)
SELECT p.id,
       CASE WHEN pg_temp.bench_u(p.n * 1000 + s.studio_id, 9) < 0.25
            THEN pg_temp.bench_pick(studios.ids, pg_temp.bench_u(p.n * 1000 + s.studio_id, 10))
            ELSE s.studio_id END
FROM bench_plan p
JOIN catalog_anime_studios s ON s.anime_id = p.source_id
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM catalog_studio) studios
ON CONFLICT DO NOTHING
"""

BIG_TABLES = [
    "catalog_anime",
    "catalog_animetitle",
    "catalog_anime_tags",
    "catalog_anime_studios",
]


def insert_copying(model: type[models.Model], select: str, overrides: dict[str, str]) -> str:
    """INSERT … SELECT into `model`'s table, copying each column not in `overrides` from the
    row aliased by the model's initial; generated columns are left to the database, and the
    primary key to its sequence unless overridden."""
    alias = "a" if model._meta.model_name == "anime" else "t"
    quote = connection.ops.quote_name
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.generated or (field.primary_key and field.column not in overrides):
            continue
        columns.append(quote(field.column))
        values.append(overrides.get(field.column, f"{alias}.{quote(field.column)}"))
    unknown = set(overrides) - {field.column for field in model._meta.concrete_fields}
    if unknown:
        raise SystemExit(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    return f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)})\n" + select.format(
        values=", ".join(values)
    )


def build(size: int) -> None:
    # The app registry is ready only now.
    from catalog.models import Anime, AnimeTitle
    from catalog.ranking import MIN_VOTES, rank_anime
    from catalog.search import SearchName

    started = time.monotonic()
    if not Anime.objects.exists():
        print("The catalog is empty: loading the demo catalog first.")
        call_command("load_demo_catalog", verbosity=0)
    total = Anime.objects.count()
    variants = Anime.objects.filter(slug__contains=VARIANT_MARK).count()
    real = total - variants
    if total > size:
        raise SystemExit(f"The catalog already has {total:,} anime, more than --size {size:,}.")
    to_add = size - total

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(HELPERS)
        cursor.execute(PLAN, {"real": real, "first": variants + 1, "last": variants + to_add})
        figures = FIGURES.format(variant_mark=VARIANT_MARK, search_name=SearchName.function)
        cursor.execute(figures, {"m": MIN_VOTES})
        cursor.execute(UPDATE_FIGURES)
        updated = cursor.rowcount
        added = {}
        for name, sql in [
            ("anime", insert_copying(Anime, VARIANT_ANIME, VARIANT_ANIME_COLUMNS)),
            (
                "alternative titles",
                insert_copying(AnimeTitle, VARIANT_TITLES, VARIANT_TITLE_COLUMNS),
            ),
            ("tag links", VARIANT_TAGS),
            ("studio links", VARIANT_STUDIOS),
        ]:
            cursor.execute(sql)
            added[name] = cursor.rowcount
    # The figures above were ranked as rank_anime ranks them; it should find nothing to change.
    ranking = rank_anime()
    built = time.monotonic()

    with connection.cursor() as cursor:
        # VACUUM as well as ANALYZE: the visibility map it sets lets count(*) and index-only
        # scans skip the table itself, as they would on a long-lived catalog.
        for table in BIG_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"Catalog: {real:,} real + {variants + to_add:,} variants = {size:,} anime. Added "
        + ", ".join(f"{count:,} {name}" for name, count in added.items())
        + f"; new figures for {updated:,} existing anime. {built - started:.1f} s, then "
        f"VACUUM ANALYZE {time.monotonic() - built:.1f} s."
    )
    print(f"{Anime.objects.filter(votes__gt=0).count():,} anime have votes; rank_anime: {ranking}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=int, required=True, help="how many anime the catalog should hold"
    )
    args = parser.parse_args()
    setup_django()
    build(args.size)


if __name__ == "__main__":
    main()
