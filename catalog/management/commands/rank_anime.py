from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.ranking import rank_anime


class Command(BaseCommand):
    help = (
        "Recompute every anime's rank (Bayesian weighted score of its ratings) and popularity"
        " (how many lists hold it). Cheap to re-run: run it every 10 minutes (catalog.ranking)."
    )

    def handle(self, *args, **options) -> None:
        summary = rank_anime()
        self.stdout.write(f"Ranking done: {summary}")
