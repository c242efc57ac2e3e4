from __future__ import annotations

from django.core.management.base import BaseCommand

from manga.demo import load_demo_manga


class Command(BaseCommand):
    help = (
        "Load the demo manga and their relations to the demo catalog's anime: only what is "
        "missing, so it is safe to re-run (run it after load_demo_catalog)."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Demo manga: {load_demo_manga()}")
