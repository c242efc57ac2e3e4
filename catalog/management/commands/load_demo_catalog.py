from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.importers import import_catalog
from catalog.models import Anime

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "demo" / "anime-list-14k.csv.gz"


class Command(BaseCommand):
    help = "Load the 14k anime demo catalog, unless the catalog already has anime."

    def handle(self, *args, verbosity: int, **options) -> None:
        if Anime.objects.exists():
            self.stdout.write(
                f"The demo catalog is already loaded ({Anime.objects.count():,} anime): nothing to do."
            )
            return
        self.stdout.write(f"Loading the demo catalog from {DEMO_CATALOG.name} …")
        # All or nothing: an interrupted load leaves an empty catalog, so the next run retries.
        with transaction.atomic():
            summary = import_catalog(
                DEMO_CATALOG,
                progress=self.stdout.write if verbosity > 0 else lambda line: None,
                problem=self.stderr.write,
            )
        self.stdout.write(f"Demo catalog loaded: {summary}")
