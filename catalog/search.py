"""How titles are compared in search: the database's own normal form, so an index can serve it.

`animedex_search_name(text)` (created in catalog's first migration) lower-cases, strips accents
(unaccent) and turns every run of punctuation and spaces into one space: "Steins;Gate" and
"steins gate" are both "steins gate", "Pokémon" is "pokemon", "BLAME!" is "blame". It keeps the
letters of Latin, Greek, Cyrillic, Japanese, Chinese and Korean scripts explicitly rather than by
the locale's character classes, so a server with the "C" locale normalises the same way.
"""

from __future__ import annotations

from django.db import connection, models

# A search ranks at most this many of the closest titles; nobody pages past the first few
# hundred results of a fuzzy search.
SEARCH_CANDIDATES = 300
# Titles read to rank them: an anime often matches by two or three of its titles.
SEARCH_NAMES = 3 * SEARCH_CANDIDATES
# Fuzzy matches scored per table, at most. A short or common query ("sh", "the", "shin") is
# similar to 20,000-30,000 titles at 100,000 anime, and scoring them all took 0.5-1 s; past
# this many, the titles that start with the query (below) keep the best matches in the results.
FUZZY_NAMES = 1000
# Titles that start with the query, scored besides the fuzzy ones: the most popular anime's
# own titles, and alternative titles in code point order.
PREFIX_NAMES = SEARCH_CANDIDATES
# Shorter texts only find titles that start with them: "sh" is as similar to every word that
# starts with "sh" as to any other, so scoring thousands of such words would rank nothing.
FUZZY_MIN_LENGTH = 3


class SearchName(models.Func):
    """The normal form of a title (a column, or the text a visitor typed)."""

    function = "animedex_search_name"
    output_field = models.TextField()


# Each title's score: exact (4 to 5) above a prefix (2 to 3) above merely similar (0 to 1);
# similarities are at most 1, so the tiers never overlap. Word similarity finds the query
# inside a title; plain similarity prefers the title closest as a whole ("Steins Gate" over
# "Steins Gate 0: …" for "gate steins").
_SCORE = """
    CASE WHEN {name} = q.name THEN 4.0
         WHEN starts_with({name}, q.name) THEN 2.0
         ELSE 0.0 END
    + (word_similarity(q.name, {name}) + similarity({name}, q.name)) / 2
"""
# `%>` alone (word similarity above the threshold) covers the exact title, a prefix, any word
# order and typos, through the GIN index. One operator, not an OR of several: the planner
# underrates these operators and would scan a small table row by row, at ~10 µs a row.
# A query that is similar to more than FUZZY_NAMES titles gets that many of them (whichever the
# index yields first), plus the titles starting with it through a C-collated b-tree index, so an
# exact title or a prefix always ranks first. The query's normal form is computed once (`q`:
# no row when it is empty, so nothing is read), not folded into each expression while planning.
# An anime's match is its best title's; equal matches go to the anime whose own title it is,
# then to the more popular, then by title in code point order.
# Written out rather than built with the ORM: building it costs more than running it.
_STARTS_WITH = """{name} COLLATE "C" >= q.name AND {name} COLLATE "C" < q.upper"""
_BEST_MATCHES = f"""WITH q AS MATERIALIZED (
        SELECT name, name || U&'\\+10FFFF' AS upper
          FROM animedex_search_name(%(text)s) AS name
         WHERE name <> ''
    ),
    own_starting AS MATERIALIZED (
        SELECT anime.id, anime.search_name, anime.popularity
          FROM q JOIN catalog_anime anime ON {_STARTS_WITH.format(name="anime.search_name")}
    ),
    own_titles AS (
        (SELECT anime.id, anime.search_name, anime.popularity
           FROM q JOIN catalog_anime anime ON anime.search_name %%> q.name
          WHERE length(q.name) >= %(fuzzy_min)s
          LIMIT %(fuzzy)s)
        UNION
        (SELECT id, search_name, popularity FROM own_starting
          ORDER BY popularity NULLS LAST, id
          LIMIT %(prefix)s)
    ),
    other_titles AS (
        (SELECT title.anime_id, title.search_name
           FROM q JOIN catalog_animetitle title ON title.search_name %%> q.name
          WHERE length(q.name) >= %(fuzzy_min)s
          LIMIT %(fuzzy)s)
        UNION
        (SELECT title.anime_id, title.search_name
           FROM q JOIN catalog_animetitle title ON {_STARTS_WITH.format(name="title.search_name")}
          ORDER BY title.search_name COLLATE "C", title.id
          LIMIT %(prefix)s)
    ),
    names AS (
        SELECT own_titles.id, {_SCORE.format(name="own_titles.search_name")} AS score, true AS own,
               own_titles.popularity, own_titles.search_name
          FROM q, own_titles
        UNION ALL
        SELECT anime.id, {_SCORE.format(name="other_titles.search_name")}, false,
               anime.popularity, anime.search_name
          FROM q, other_titles JOIN catalog_anime anime ON anime.id = other_titles.anime_id
         ORDER BY score DESC
         LIMIT %(names)s
    )
SELECT id
  FROM names
 GROUP BY id, popularity, search_name
 ORDER BY max(score) DESC, coalesce(max(score) FILTER (WHERE own), 0) DESC,
          popularity IS NULL, popularity, search_name COLLATE "C", id
 LIMIT %(limit)s
"""
# The planner counts each trigram comparison as cheap as an `=`, while it costs microseconds:
# for a common word ("gundam") it read all 94,000 alternative titles in parallel rather than
# through their index (244 ms instead of 33), and it would walk a b-tree testing every title
# for the first FUZZY_NAMES matches. So the statement runs with bitmap scans only and no
# parallel workers, set for it alone: SET LOCAL lasts to the end of the transaction, and the
# RESETs end it there in case a caller's transaction goes on (back to the server's settings:
# the site never sets these for a session). Results: the SETs, then ours. `own_starting` is
# MATERIALIZED so that it is read through the prefix index, not found by walking all anime
# in popularity order.
_PLANNER_SETTINGS = (
    ("enable_seqscan", "off"),
    ("enable_indexscan", "off"),
    ("enable_indexonlyscan", "off"),
    ("max_parallel_workers_per_gather", "0"),
)
_BEST_MATCHES_PLANNED = "".join(
    [
        *(f"SET LOCAL {name} = {value}; " for name, value in _PLANNER_SETTINGS),
        _BEST_MATCHES,
        *(f"; RESET {name}" for name, _ in _PLANNER_SETTINGS),
    ]
)


def best_matches(text: str, limit: int | None = None) -> list[int]:
    """The ids of the anime whose title or an alternative title matches `text`, best first.

    Titles are compared in their normal form, so case, accents and punctuation don't matter,
    and by trigram similarity, so neither do word order and typos. An anime's match is its best
    title's (see _SCORE). Equal matches go to the anime whose own title it is, then to the more
    popular, then by title. At most SEARCH_CANDIDATES anime are returned (or `limit`); a text
    similar to more than FUZZY_NAMES titles is ranked among that many of them and the titles
    that start with it.

    One query, through the indexes, ranked in the database (see _BEST_MATCHES).
    """
    parameters = {
        "text": text,
        "fuzzy": FUZZY_NAMES,
        "fuzzy_min": FUZZY_MIN_LENGTH,
        "prefix": PREFIX_NAMES,
        "names": SEARCH_NAMES,
        "limit": limit or SEARCH_CANDIDATES,
    }
    with connection.cursor() as cursor:
        cursor.execute(_BEST_MATCHES_PLANNED, parameters)
        for _ in _PLANNER_SETTINGS:
            cursor.nextset()
        return [anime_id for (anime_id,) in cursor.fetchall()]
