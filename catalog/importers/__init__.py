"""Importing anime into the catalog from the files people have: the 14k anime list CSV and
anime-offline-database. Each format has a parser that turns a row into an AnimeRecord
(csv_list, offline_db); the loader writes records in bulk and is safe to re-run.
"""

from __future__ import annotations

import gzip
import io
import time
import zlib
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from django.db import connection

from catalog.importers import csv_list, offline_db
from catalog.importers.files import CSV, CatalogFileError, detect_format, open_catalog
from catalog.importers.loader import CatalogLoader, ImportSummary
from catalog.importers.records import BadRow
from catalog.models import Anime, AnimeRelation, AnimeTitle, CatalogVersion

PROGRESS_EVERY = 1000


def import_catalog(
    path: Path,
    *,
    format: str | None = None,
    progress: Callable[[str], None] = print,
    problem: Callable[[str], None] = print,
) -> ImportSummary:
    """Import every usable row of the file; report each unusable one (and each odd value) to
    `problem` with its line, and a progress line every thousand rows.

    Each batch of rows is written in its own transaction; wrap the call in one to make the
    whole file all or nothing.
    """
    started = time.monotonic()
    summary = ImportSummary()
    loader = CatalogLoader(summary)
    with open_catalog(path) as stream, ExitStack() as stack:
        if (format or detect_format(path, stream)) == CSV:
            text = io.TextIOWrapper(
                stream, encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
            rows = csv_list.read_rows(stack.enter_context(text))
        else:
            rows = offline_db.read_entries(stream)
        try:
            for number, (where, row) in enumerate(rows, start=1):
                if isinstance(row, BadRow):
                    summary.skipped += 1
                    problem(f"{path.name} {where}: skipped: {row}")
                else:
                    for warning in row.warnings:
                        problem(f"{path.name} {where}: {warning}")
                    summary.warnings += len(row.warnings)
                    loader.add(row)
                if number % PROGRESS_EVERY == 0:
                    elapsed = time.monotonic() - started
                    progress(
                        f"{number:,} rows read in {elapsed:.1f} s, {summary.skipped:,} skipped"
                    )
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            raise CatalogFileError(f"{path} ends early or is damaged: {error}") from error
    loader.finish()
    Anime.objects.filter(pk__in=loader.changed).page_changed()
    CatalogVersion.bump()
    analyze_catalog()
    summary.seconds = time.monotonic() - started
    return summary


def analyze_catalog() -> None:
    """Fresh planner statistics, so that searches and filters use their indexes at once.

    Autovacuum would get there eventually; until then the planner takes a freshly filled table
    for a small one and scans it row by row.
    """
    tables = [Anime, AnimeTitle, Anime.tags.through, Anime.studios.through, AnimeRelation]
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE " + ", ".join(connection.ops.quote_name(t._meta.db_table) for t in tables)
        )
