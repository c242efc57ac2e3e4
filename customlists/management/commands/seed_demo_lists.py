from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from customlists.seeding import DEMO_LISTS, seed_demo_lists


class Command(BaseCommand):
    help = (
        "Create public custom lists owned by the demo users (seed_demo), each of well-ranked"
        " anime of one tag. Does nothing if the demo users have lists already."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lists", type=int, default=DEMO_LISTS, help="how many lists")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same lists")

    def handle(self, *args, lists: int, seed: int, **options) -> None:
        created = seed_demo_lists(lists, seed=seed)
        if created:
            self.stdout.write(f"Demo custom lists created: {created}")
        else:
            self.stdout.write("Demo custom lists: none created (no demo users, or they have lists)")
