from __future__ import annotations

from django.core.management.base import BaseCommand

from userlists.recommendations import recommend_anime


class Command(BaseCommand):
    help = (
        'Recompute every anime\'s "you might like" recommendations from the public lists'
        " (anime liked by the same users), topped up from relations, tags and studios."
        " Run it periodically, e.g. hourly (userlists.recommendations)."
    )

    def handle(self, *args, **options) -> None:
        summary = recommend_anime()
        self.stdout.write(f"Recommendations done: {summary}")
