"""How titles are compared in search: the database's own normal form, so an index can serve it.

`animedex_search_name(text)` (created in catalog's first migration) lower-cases, strips accents
(unaccent) and turns every run of punctuation and spaces into one space: "Steins;Gate" and
"steins gate" are both "steins gate", "Pokémon" is "pokemon", "BLAME!" is "blame". It keeps the
letters of Latin, Greek, Cyrillic, Japanese, Chinese and Korean scripts explicitly rather than by
the locale's character classes, so a server with the "C" locale normalises the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet

from catalog.lookups import int_array
from catalog.pagination import RowsById, rows_in_order

# A search ranks at most this many of the closest titles; nobody pages past the first few
# hundred results of a fuzzy search.
SEARCH_CANDIDATES = 300
# Titles read to rank them: an anime often matches by two or three of its titles.
SEARCH_NAMES = 3 * SEARCH_CANDIDATES
# Fuzzy matches scored per branch, at most, in whichever order the index yields them. A short or
# common query ("gundam", "blam") is similar to hundreds or thousands of titles at 100,000
# anime ("blam": 836, mostly "Black …" at the threshold), and reading and scoring a title costs
# ~10 µs; past this many, the titles that start with the query and the popular anime's titles
# (below) keep the best matches in the results, and the count says there are more. Such a
# sample is arbitrary at 300 as at 150, and half the titles cost 5 ms less. On the demo
# catalog (14,000 anime) "gundam" is similar to 132 titles, all ranked, and "girl" to 163; a
# cap of 100 would leave out 22 of gundam's.
FUZZY_NAMES = SEARCH_CANDIDATES // 2
# The popular anime's similar titles (POPULAR_ANIME) scored, at most.
POPULAR_FUZZY_NAMES = SEARCH_CANDIDATES
# Titles that start with the query, scored besides the fuzzy ones, per branch: the most popular
# anime's own titles, the shortest (the closest to the query), and alternative titles in code
# point order.
PREFIX_NAMES = SEARCH_CANDIDATES
# The anime this popular (popularity 1 to this) have their own index of titles, a fuzzy branch
# of their own: however many titles a query is similar to, POPULAR_FUZZY_NAMES of those of the
# anime people look for most are scored. Anime.Meta's partial index is built with this bound, so
# changing it needs a migration.
POPULAR_ANIME = 5000
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
# The titles that start with the query, read first, in a statement of their own: the own title
# equal to it; of the own titles starting with it, the 300 most popular anime's and the 300
# shortest (among titles starting with the query, the shorter the closer: a less popular
# "Mobile Suit Gundam" beside 300 "Mobile Suit Gundam Side Story" for "mobile suit gund");
# and the first 300 alternative titles in code point order (an equal one first); through
# C-collated b-tree indexes (the anime's holds the popularity, so it is read alone). The query's
# normal form is folded into the conditions while planning, so the planner sees the text and
# its statistics; `OFFSET 0` keeps it from walking the whole catalog in popularity order to
# find the first few titles starting with a text it overrates ("shiz": 136 ms for 6 titles).
# Rows: (title id, own title?, anime id, None).
#
# Two letters, the first text the suggestions send, start 16,000 titles at 100,000 anime ("sh"),
# and are as similar to each of them as to any other: scores would rank nothing, so the last
# branch ranks them here, by popularity, an equal title first (rows: (None, None, anime id,
# position)). It ranks the most popular anime with an own title starting with the text (their
# own index holds the titles' first two letters in popularity order, so only those are read,
# not 16,000, and its statistics tell the planner how common each pair is), the anime whose own
# title equals the text however unpopular, and the anime of the first 300 alternative titles
# starting with it (one equal to the text first). Branches whose condition on the text's length
# is false don't run: the others for two letters, this one for any other length.
_STARTS_WITH = """animedex_search_name(%(text)s) <> ''
       AND {name} COLLATE "C" >= animedex_search_name(%(text)s)
       AND {name} COLLATE "C" < animedex_search_name(%(text)s) || U&'\\+10FFFF'"""
_OWN_STARTING = f"""(SELECT id, true, id, NULL::bigint
   FROM (SELECT id, popularity, search_name FROM catalog_anime
          WHERE {_STARTS_WITH.format(name="search_name")}
            AND length(animedex_search_name(%(text)s)) {{length}}
         OFFSET 0) AS starting
  ORDER BY {{order}}
  LIMIT %(prefix)s)"""
_STARTING = f"""(SELECT id, true AS own, id AS anime_id, NULL::bigint AS position
   FROM catalog_anime
  WHERE animedex_search_name(%(text)s) <> ''
    AND length(animedex_search_name(%(text)s)) <> 2
    AND search_name COLLATE "C" = animedex_search_name(%(text)s)
  LIMIT %(prefix)s)
UNION ALL
{_OWN_STARTING.format(length="<> 2", order="popularity NULLS LAST, id")}
UNION ALL
{_OWN_STARTING.format(length="> 2", order='length(search_name), search_name COLLATE "C", id')}
UNION ALL
(SELECT id, false, anime_id, NULL
   FROM catalog_animetitle
  WHERE {_STARTS_WITH.format(name="search_name")}
    AND length(animedex_search_name(%(text)s)) <> 2
  ORDER BY search_name COLLATE "C", id
  LIMIT %(prefix)s)
UNION ALL
(SELECT NULL, NULL, anime_id,
        row_number() OVER (ORDER BY bool_or(equal) DESC, popularity IS NULL, popularity,
                                    search_name COLLATE "C", anime_id)
   FROM ((SELECT id AS anime_id, false AS equal, popularity, search_name
            FROM catalog_anime
           WHERE length(animedex_search_name(%(text)s)) = 2
             AND left(search_name, 2) = animedex_search_name(%(text)s)
           ORDER BY popularity NULLS LAST, id
           LIMIT least(%(prefix)s, %(limit)s))
         UNION ALL
         (SELECT id, true, popularity, search_name
            FROM catalog_anime
           WHERE length(animedex_search_name(%(text)s)) = 2
             AND search_name COLLATE "C" = animedex_search_name(%(text)s))
         UNION ALL
         (SELECT anime.id, title.search_name = animedex_search_name(%(text)s),
                 anime.popularity, anime.search_name
            FROM (SELECT anime_id, search_name
                    FROM catalog_animetitle
                   WHERE {_STARTS_WITH.format(name="search_name")}
                     AND length(animedex_search_name(%(text)s)) = 2
                   ORDER BY search_name COLLATE "C", id
                   LIMIT %(prefix)s) AS title
            JOIN catalog_anime anime ON anime.id = title.anime_id)) AS two_letters
  GROUP BY anime_id, popularity, search_name
  ORDER BY 4
  LIMIT %(limit)s)
"""
# Then the ranking. `%>` alone (word similarity above the threshold) covers the exact title, a
# prefix, any word order and typos, through the GIN indexes. One operator, not an OR of
# several: the planner underrates these operators and would scan a small table row by row, at
# ~10 µs a row. A query similar to more than FUZZY_NAMES titles gets that many of them
# (whichever the index yields first), as many of the popular anime's similar titles (their
# own partial index), and the titles starting with it (above), so an exact title, the closest
# prefixes and the best-known anime rank. The query's normal form is computed once (`q`: no
# row when it is empty, so nothing is read), not folded into each expression while planning.
# An anime's match is its best title's; equal matches go to the anime whose own title it is,
# then to the more popular, then by title in code point order. Each row also says whether a
# fuzzy branch stopped at its cap (`cut`): then more anime may match than are ranked.
# Written out rather than built with the ORM: building it costs more than running it.
_BEST_MATCHES = f"""WITH q AS MATERIALIZED (
        SELECT name FROM animedex_search_name(%(text)s) AS name WHERE name <> ''
    ),
    own_similar AS MATERIALIZED (
        SELECT anime.id, anime.search_name, anime.popularity
          FROM q JOIN catalog_anime anime ON anime.search_name %%> q.name
         WHERE length(q.name) >= %(fuzzy_min)s
         LIMIT %(fuzzy)s
    ),
    popular_similar AS MATERIALIZED (
        SELECT anime.id, anime.search_name, anime.popularity
          FROM q JOIN catalog_anime anime
               ON anime.search_name %%> q.name AND anime.popularity <= {POPULAR_ANIME}
         WHERE length(q.name) >= %(fuzzy_min)s
         LIMIT %(popular_fuzzy)s
    ),
    other_similar AS MATERIALIZED (
        SELECT title.anime_id, title.search_name
          FROM q JOIN catalog_animetitle title ON title.search_name %%> q.name
         WHERE length(q.name) >= %(fuzzy_min)s
         LIMIT %(fuzzy)s
    ),
    own_titles AS (
        SELECT * FROM own_similar
        UNION
        SELECT * FROM popular_similar
        UNION
        SELECT id, search_name, popularity FROM catalog_anime WHERE id = ANY(%(own_starting)s)
    ),
    other_titles AS (
        SELECT * FROM other_similar
        UNION
        SELECT anime_id, search_name FROM catalog_animetitle WHERE id = ANY(%(other_starting)s)
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
SELECT id,
       (SELECT count(*) FROM own_similar) = %(fuzzy)s
       OR (SELECT count(*) FROM popular_similar) = %(popular_fuzzy)s
       OR (SELECT count(*) FROM other_similar) = %(fuzzy)s AS cut
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
# the site never sets these for a session). Results: the SETs, then ours.
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
_PLANNED = re.compile(r"^((?:SET LOCAL [^;]+; )+)(.*?)((?:; RESET \w+)+)$", re.DOTALL)


def planned_parts(sql: str) -> tuple[str, str]:
    """A statement as it was sent, split into the planner settings it runs under and the query
    itself ("" and the whole statement for any but the ranking): what an EXPLAIN of it runs."""
    if match := _PLANNED.match(sql):
        return match[1], match[2]
    return "", sql


class Ranking(list[int]):
    """Anime ids, best first. `cut`: a fuzzy branch stopped at its cap, so more titles matched
    than were ranked."""

    def __init__(self, ids: Iterable[int] = (), *, cut: bool = False) -> None:
        super().__init__(ids)
        self.cut = cut


def best_matches(text: str, limit: int | None = None) -> Ranking:
    """The ids of the anime whose title or an alternative title matches `text`, best first.

    Titles are compared in their normal form, so case, accents and punctuation don't matter,
    and by trigram similarity, so neither do word order and typos. An anime's match is its best
    title's (see _SCORE). Equal matches go to the anime whose own title it is, then to the more
    popular, then by title. At most SEARCH_CANDIDATES anime are returned (or `limit`); a text
    similar to more than FUZZY_NAMES titles is ranked among that many of them, the popular
    anime's similar titles and the titles that start with it; when `limit` anime have a title
    starting with the text, among those alone.

    Two letters are ranked by popularity alone, an equal title first (see _STARTING).

    Two queries, through the indexes, ranked in the database (see _STARTING, _BEST_MATCHES);
    one for two letters.
    """
    limit = limit or SEARCH_CANDIDATES
    with connection.cursor() as cursor:
        cursor.execute(_STARTING, {"text": text, "prefix": PREFIX_NAMES, "limit": limit})
        rows = cursor.fetchall()
        if ranked := sorted((position, anime_id) for _, _, anime_id, position in rows if position):
            return Ranking(anime_id for _, anime_id in ranked)
        starting = [(title_id, own, anime_id) for title_id, own, anime_id, _ in rows]
        # An anime with a title starting with the text outranks any whose titles are merely
        # similar (_SCORE's tiers): with `limit` of them, similar titles can't make the list.
        enough = len({anime_id for _, _, anime_id in starting}) >= limit
        parameters = {
            "text": text,
            "fuzzy": 0 if enough else FUZZY_NAMES,
            "popular_fuzzy": 0 if enough else POPULAR_FUZZY_NAMES,
            "fuzzy_min": FUZZY_MIN_LENGTH,
            "own_starting": int_array({title_id for title_id, own, _ in starting if own}),
            "other_starting": int_array({title_id for title_id, own, _ in starting if not own}),
            "names": SEARCH_NAMES,
            "limit": limit,
        }
        cursor.execute(_BEST_MATCHES_PLANNED, parameters)
        for _ in _PLANNER_SETTINGS:
            cursor.nextset()
        rows = cursor.fetchall()
        return Ranking((anime_id for anime_id, _ in rows), cut=bool(rows) and rows[0][1])


class SearchResults:
    """The anime of a search's ranking, best first, for a paginator: counting them costs no
    query, and a slice reads only its own rows, by primary key.

    For a search alone: a filter or another order would change which anime come where.
    `ranked` may hold one anime past `limit`. `found` is how many matched as a paginator counts
    them: one more than are ranked when more matched (it shows "300+"), past `limit` or past a
    fuzzy branch's cap.
    """

    def __init__(self, ranked: Ranking, anime: QuerySet | RowsById, limit: int) -> None:
        self.ranked = ranked[:limit]
        self.found = len(self.ranked) + (len(ranked) > limit or ranked.cut)
        self.anime = anime

    @classmethod
    def of(cls, text: str, anime: QuerySet | RowsById, limit: int | None = None) -> SearchResults:
        """The `anime` matching `text`, at most `limit` (SEARCH_CANDIDATES) of them; one more
        is ranked to tell whether more matched."""
        limit = limit or SEARCH_CANDIDATES
        return cls(best_matches(text, limit + 1), anime, limit)

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index: slice) -> list[Any]:
        return rows_in_order(self.anime, self.ranked[index])

    def __iter__(self) -> Iterator[Any]:
        # One query for all, not one per index (Python's fallback for iteration).
        return iter(self[:])
