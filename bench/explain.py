"""EXPLAIN (ANALYZE, BUFFERS) of every query the benchmarked requests run.

    uv run --frozen --no-sync python bench/explain.py [--only TEXT] [--summary]

Each request of bench/cases.py is made once with its SQL captured, then each of its queries is run
again under EXPLAIN ANALYZE on the same connection (so with the site's settings, JIT off), and
timed without it (best of 3, rows fetched). A sequential scan of one of the big tables is
flagged: on a large catalog it reads every row.
"""

from __future__ import annotations

import argparse
import os
import re
import time

from benchenv import setup_django, wsgi_get
from cases import CASES, TRIVIAL
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

BIG_TABLES = ["catalog_anime", "catalog_animetitle", "catalog_anime_tags", "catalog_anime_studios"]
SEQ_SCAN = re.compile(rf"Seq Scan on ({'|'.join(BIG_TABLES)})\b")


def explain(sql: str) -> tuple[str, float]:
    """The plan, and the query's own time: EXPLAIN ANALYZE's clock, timing every row of every
    node, makes a scan of 100k rows look several times slower than it is."""
    from catalog.search import planned_parts  # once main() has set Django up

    # Search's ranking runs under planner settings of its own: the same here.
    settings, sql = planned_parts(sql)
    with transaction.atomic(), connection.cursor() as cursor:
        if settings:
            cursor.execute(settings)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            runs.append((time.perf_counter() - started) * 1000)
    return plan, min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="only the requests whose name or URL contains this")
    parser.add_argument("--summary", action="store_true", help="the summary table only")
    args = parser.parse_args()
    os.environ["DEBUG"] = "false"
    setup_django()
    call_command("collectstatic", interactive=False, verbosity=0)
    app = WSGIHandler()

    summary = []
    for case in CASES:
        if case is TRIVIAL or (args.only and args.only not in f"{case.name} {case.url}"):
            continue
        with CaptureQueriesContext(connection) as captured:
            status, _ = wsgi_get(app, case.url, case.headers)
        queries = [
            query["sql"]
            for query in captured
            if query["sql"].lstrip("(").startswith(("SELECT", "SET LOCAL"))
        ]
        times, flagged = [], []
        for number, sql in enumerate(queries, start=1):
            plan, milliseconds = explain(sql)
            times.append(milliseconds)
            scans = sorted(set(SEQ_SCAN.findall(plan)))
            flagged += scans
            if not args.summary:
                print(
                    f"=== {case.name} ({case.url}) query {number}/{len(queries)}: {milliseconds:.2f} ms"
                )
                if scans:
                    print(f"!!! Seq Scan on {', '.join(scans)}")
                print(sql, plan, "", sep="\n")
        summary.append((case, status, times, flagged))

    print(
        "| request | URL | status | queries | SQL ms | slowest query ms | Seq Scan on big tables |"
    )
    print("|---|---|--:|--:|--:|--:|---|")
    for case, status, times, flagged in summary:
        scans = ", ".join(sorted(set(flagged))) or "none"
        print(
            f"| {case.name} | `{case.url}` | {status} | {len(times)} | {sum(times):.2f} "
            f"| {max(times, default=0):.2f} | {scans} |"
        )


if __name__ == "__main__":
    main()
