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
# hundred results of a fuzzy search, and scoring every faint match of "a" costs seconds.
SEARCH_CANDIDATES = 300
# Titles read to rank them: an anime often matches by two or three of its titles.
SEARCH_NAMES = 3 * SEARCH_CANDIDATES


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
# The query's normal form is computed once (`q`), not folded into each of ten expressions
# while planning. An anime's match is its best title's; equal matches go to the anime whose
# own title it is, then to the more popular, then by title in code point order.
# Written out rather than built with the ORM: building it costs more than running it.
_BEST_MATCHES = f"""WITH q AS MATERIALIZED (SELECT animedex_search_name(%(text)s) AS name),
    names AS (
        SELECT anime.id, {_SCORE.format(name="anime.search_name")} AS score, true AS own,
               anime.popularity, anime.search_name
          FROM q JOIN catalog_anime anime ON anime.search_name %%> q.name
        UNION ALL
        SELECT anime.id, {_SCORE.format(name="title.search_name")}, false,
               anime.popularity, anime.search_name
          FROM q JOIN catalog_animetitle title ON title.search_name %%> q.name
          JOIN catalog_anime anime ON anime.id = title.anime_id
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
# through their index (244 ms instead of 33). So the statement runs with sequential scans and
# parallel workers off, set for it alone: SET LOCAL lasts to the end of the transaction, and
# the RESETs end it there in case a caller's transaction goes on. Results: 2 SETs, then ours.
_PLANNER_SETTINGS = ("enable_seqscan", "off"), ("max_parallel_workers_per_gather", "0")
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
    popular, then by title. At most SEARCH_CANDIDATES anime are ranked (or `limit`).

    One query, through the GIN indexes, ranked in the database (see _BEST_MATCHES).
    """
    parameters = {"text": text, "names": SEARCH_NAMES, "limit": limit or SEARCH_CANDIDATES}
    with connection.cursor() as cursor:
        cursor.execute(_BEST_MATCHES_PLANNED, parameters)
        for _ in _PLANNER_SETTINGS:
            cursor.nextset()
        return [anime_id for (anime_id,) in cursor.fetchall()]
