"""Server-side latency of the catalog's common requests, measured in-process.

    uv run --frozen --no-sync python bench/latency.py [--iterations 50] [--warmup 5] [--json FILE]

Each request goes through the whole WSGI application (middleware, view, template, a pooled
database connection) with DEBUG off, as gunicorn would call it, minus the network. Requests are
timed round-robin, one of each per round, so load from elsewhere on the machine slows them all
alike; the ratio to the trivial view's median is the figure that carries over between machines.

Besides the wall-clock median and p95, the table shows the fastest request (what the page costs
when nothing else wants the CPU), how long the database driver spent executing SQL, and how much
CPU this process used (the Python side: view, template, middleware), both medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import django
from benchenv import setup_django, wsgi_get
from cases import CASES, TRIVIAL, Case
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

TARGET_MS = 30.0


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE rank IS NOT NULL) FROM catalog_anime"
        )
        anime, ranked = cursor.fetchone()
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "software": (
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"PostgreSQL {postgres.split()[0]}"
        ),
        "catalog": f"{anime:,} anime ({ranked:,} ranked)",
    }


class DatabaseClock:
    """Time spent in the database driver's execute (psycopg reads all the rows there)."""

    def __init__(self) -> None:
        self.milliseconds = 0.0

    def __call__(self, execute: Callable, sql: str, params, many: bool, context: dict):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.milliseconds += (time.perf_counter() - started) * 1000


def measure(
    app: Callable, cases: list[Case], *, warmup: int, iterations: int, cold: bool
) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per request of each case (wall clock, in the database driver, and this
    process's CPU) over `iterations` rounds of one request per case; `cold` empties the page
    cache (catalog.page_cache) before each request, so every page is built."""
    timings = {case.name: {"total": [], "database": [], "cpu": []} for case in cases}
    clock = DatabaseClock()
    with connection.execute_wrapper(clock):
        for round_number in range(warmup + iterations):
            for case in cases:
                clock.milliseconds = 0.0
                if cold:
                    cache.clear()
                started, cpu_started = time.perf_counter(), time.process_time()
                wsgi_get(app, case.url, case.headers)
                elapsed = (time.perf_counter() - started) * 1000
                cpu = (time.process_time() - cpu_started) * 1000
                if round_number >= warmup:
                    timings[case.name]["total"].append(elapsed)
                    timings[case.name]["database"].append(clock.milliseconds)
                    timings[case.name]["cpu"].append(cpu)
    return timings


def query_count(app: Callable, case: Case) -> int:
    with CaptureQueriesContext(connection) as queries:
        wsgi_get(app, case.url, case.headers)
    return len(queries)


def report(results: list[dict], info: dict[str, str], iterations: int) -> str:
    baseline = next(result["median_ms"] for result in results if result["name"] == TRIVIAL.name)
    lines = [
        f"{info['catalog']}; {info['cpu']}; {info['software']}; "
        f"median and p95 of {iterations} requests each, DEBUG off.",
        "",
        "| request | URL | queries | median ms | p95 ms | x trivial | min ms | SQL ms "
        "| Python CPU ms | < 30 ms |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]
    for result in results:
        if result["status"] != 200:
            lines.append(
                f"| {result['name']} | `{result['url']}` | HTTP {result['status']} ||||||||"
            )
            continue
        within = "" if result["group"] == "baseline" else "yes"
        if within and result["median_ms"] > TARGET_MS:
            within = "**NO**"
        lines.append(
            f"| {result['name']} | `{result['url']}` | {result['queries']} "
            f"| {result['median_ms']:.2f} | {result['p95_ms']:.2f} "
            f"| {result['median_ms'] / baseline:.0f} | {result['min_ms']:.2f} "
            f"| {result['database_ms']:.2f} | {result['cpu_ms']:.2f} | {within} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=50, help="timed rounds (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first (default 5)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the anonymous page cache before every request (build every page)",
    )
    args = parser.parse_args()
    # What production runs: no SQL logging, hashed static files, the cached template loader.
    os.environ["DEBUG"] = "false"
    setup_django()
    call_command("collectstatic", interactive=False, verbosity=0)
    app = WSGIHandler()

    statuses = {case.name: wsgi_get(app, case.url, case.headers)[0] for case in CASES}
    working = [case for case in CASES if statuses[case.name] == 200]
    timings = measure(app, working, warmup=args.warmup, iterations=args.iterations, cold=args.cold)
    results = []
    for case in CASES:
        result = {"name": case.name, "group": case.group, "url": case.url}
        result["status"] = statuses[case.name]
        if case in working:
            samples = timings[case.name]["total"]
            result["queries"] = query_count(app, case)
            result["median_ms"] = statistics.median(samples)
            result["p95_ms"] = statistics.quantiles(samples, n=20, method="inclusive")[18]
            result["min_ms"] = min(samples)
            result["database_ms"] = statistics.median(timings[case.name]["database"])
            result["cpu_ms"] = statistics.median(timings[case.name]["cpu"])
        results.append(result)

    info = machine()
    print("Page cache emptied before every request (cold)." if args.cold else "Page cache warm.")
    print(report(results, info, args.iterations))
    if args.json:
        args.json.write_text(json.dumps({**info, "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
