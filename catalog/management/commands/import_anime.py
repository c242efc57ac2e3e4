from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.importers import import_catalog
from catalog.importers.files import FORMATS, CatalogFileError


class Command(BaseCommand):
    help = (
        "Import anime from the 14k anime list CSV or an anime-offline-database file (.jsonl or"
        " .json), plain or gzipped. Safe to re-run: anime already imported are updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a .csv, .jsonl or .json file, maybe gzipped")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="the file's format; by default told from its name, else from its content",
        )

    def handle(self, *args, path: Path, format: str | None, verbosity: int, **options) -> None:
        try:
            summary = import_catalog(
                path,
                format=format,
                progress=self.stdout.write if verbosity > 0 else lambda line: None,
                problem=self.stderr.write,
            )
        except CatalogFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {path.name}: {summary}")
