"""Every common catalog filter, sort and search has an index to use.

With a few rows PostgreSQL reads a whole table rather than an index whatever indexes exist, so a
plain EXPLAIN here proves nothing. With `enable_seqscan = off` it scans a table sequentially only
where no index can serve the query, or else walks a whole index and filters every row, which is
the same full read in disguise. These tests look for either in the SQL the pages really run.
How fast the plans are on a large catalog is bench/'s business (bench/README.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import AiringStatus, AnimeTitle, Kind, Season, TitleKind
from catalog.search import planned_parts
from tests.factories import make_anime, make_studio, make_tag

pytestmark = pytest.mark.django_db

BIG_TABLES = {"catalog_anime", "catalog_animetitle", "catalog_anime_tags", "catalog_anime_studios"}
HTMX = {"HX-Request": "true"}

LIST_PAGES = {
    "catalog": ("/anime/", {}),
    "kind": ("/anime/", {"kind": "tv"}),
    "kinds": ("/anime/", {"kind": ["movie", "ova"]}),
    "status": ("/anime/", {"status": "airing"}),
    "year": ("/anime/", {"year": 2015}),
    "year and season": ("/anime/", {"year": 2021, "season": "fall"}),
    "tag": ("/anime/", {"tag": "action"}),
    "tags": ("/anime/", {"tag": ["action", "comedy"]}),
    "not tag": ("/anime/", {"notag": "comedy"}),
    "studio": ("/anime/", {"studio": "toei-animation"}),
    "episodes range": ("/anime/", {"episodes_min": 12, "episodes_max": 26}),
    "year and kind": ("/anime/", {"year": 2015, "kind": "movie"}),
    "tag, not tag, kind": ("/anime/", {"tag": "action", "notag": "comedy", "kind": "tv"}),
    "deep page": ("/anime/", {"page": 3}),
    "tag page": ("/anime/tag/action/", {}),
    "studio page": ("/anime/studio/toei-animation/", {}),
    "season page": ("/anime/season/2021/fall/", {}),
    **{
        f"sort by {order}": ("/anime/", {"sort": order})
        for order in ["rank", "popularity", "rating", "title", "year", "episodes"]
    },
    "kind by rating": ("/anime/", {"kind": "tv", "sort": "rating"}),
}

SEARCHES = {
    "exact": "Cowboy Bebop",
    "prefix": "steins",
    "typo": "fullmetal alchemst",
    "japanese": "進撃の巨人",
    "short": "blam",
    "two letters": "sh",
}


@pytest.fixture(scope="module", autouse=True)
def _statistics_of_our_own(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Autovacuum off for the big tables while these tests run: its ANALYZE writes a table's
    size in place, outside any transaction, and would replace the fixture's with that of the
    committed (empty) table in the middle of a test, changing its plans."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for table in sorted(BIG_TABLES):
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        yield
        for table in sorted(BIG_TABLES):
            cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")


@pytest.fixture
def catalog() -> None:
    """A row for each filter to find, so no page stops early at an empty result."""
    action, comedy = make_tag(name="Action"), make_tag(name="Comedy")
    toei = make_studio(name="Toei Animation")
    make_anime(title="Cowboy Bebop", kind=Kind.TV, start_year=1998, tags=[action], studios=[toei])
    make_anime(title="Steins;Gate", kind=Kind.TV, start_year=2011, tags=[comedy])
    make_anime(title="Fullmetal Alchemist", kind=Kind.MOVIE, start_year=2015, tags=[action])
    make_anime(
        title="Blame!",
        start_year=2021,
        start_season=Season.FALL,
        airing_status=AiringStatus.AIRING,
        tags=[action, comedy],
    )
    titan = make_anime(title="Shingeki no Kyojin", start_year=2013, studios=[toei])
    AnimeTitle.objects.create(anime=titan, title="進撃の巨人", kind=TitleKind.JAPANESE)
    # Statistics as autovacuum would gather them: without, the plans depend on whether it
    # happened to analyze the tables while earlier tests ran (and see the fixture above).
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(sorted(BIG_TABLES))}")


def plan_nodes(node: dict[str, Any], under_limit: bool = False) -> Iterator[tuple[dict, bool]]:
    """Each node of an EXPLAIN (FORMAT JSON) plan, and whether a Limit sits above it; not the
    nodes under a condition the planner found false (a branch of a union that never runs)."""
    yield node, under_limit
    if node.get("One-Time Filter") == "false":
        return
    for child in node.get("Plans", []):
        yield from plan_nodes(child, under_limit or node["Node Type"] == "Limit")


def full_scans(sql: str) -> list[str]:
    """The big tables this query reads in full, with `enable_seqscan` off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Search's ranking runs under planner settings of its own: the same here.
        settings, sql = planned_parts(sql)
        if settings:
            cursor.execute(settings)
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    scans = []
    for node, under_limit in plan_nodes(plan[0]["Plan"]):
        table = node.get("Relation Name")
        if table not in BIG_TABLES:
            continue
        if node["Node Type"] == "Seq Scan":
            scans.append(f"Seq Scan on {table}")
        # An index walked end to end only to filter it; under a Limit it is the ordered scan of
        # a sort order, which stops after a page.
        elif (
            node["Node Type"] in {"Index Scan", "Index Only Scan"}
            and "Index Cond" not in node
            and "Filter" in node
            and not under_limit
        ):
            scans.append(
                f"{node['Node Type']} on {table} using {node['Index Name']}, no Index Cond"
            )
    return scans


def assert_no_full_scans(client, url: str, params: dict, headers: dict | None = None) -> None:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, headers=headers)
    assert response.status_code == 200
    problems = [
        f"{scan}\n    in {query['sql']}"
        for query in captured
        if query["sql"].lstrip("(").startswith(("SELECT", "SET LOCAL"))
        for scan in full_scans(query["sql"])
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("url", "params"), LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_list_page_reads_no_big_table_in_full(client, catalog, url, params):
    assert_no_full_scans(client, url, params)


@pytest.mark.parametrize("query", SEARCHES.values(), ids=SEARCHES.keys())
def test_search_reads_no_big_table_in_full(client, catalog, query):
    assert_no_full_scans(client, "/anime/", {"q": query})


@pytest.mark.parametrize("query", SEARCHES.values(), ids=SEARCHES.keys())
def test_suggestions_read_no_big_table_in_full(client, catalog, query):
    assert_no_full_scans(client, "/anime/suggest/", {"q": query}, HTMX)


def test_search_with_filters_reads_no_big_table_in_full(client, catalog):
    assert_no_full_scans(client, "/anime/", {"q": "bebop", "kind": "tv", "tag": "action"})
