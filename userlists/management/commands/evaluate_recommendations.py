from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from userlists.recommendation_check import check_recommendations


class Command(BaseCommand):
    help = (
        "Offline check of the recommendations: hide part of some users' likes, recommend from"
        " the rest, and report hit-rate@10 against 'most popular'. Changes nothing"
        " (userlists.recommendation_check)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=1000, help="users to test (default 1000)")
        parser.add_argument(
            "--hold-out",
            type=float,
            default=0.2,
            help="share of each tested user's likes hidden (default 0.2)",
        )
        parser.add_argument("--seed", type=int, default=1, help="which users and likes")

    def handle(self, *args, users: int, hold_out: float, seed: int, **options) -> None:
        if users < 1:
            raise CommandError("--users must be at least 1")
        if not 0 < hold_out < 1:
            raise CommandError("--hold-out must be between 0 and 1")
        summary = check_recommendations(users=users, hold_out=hold_out, seed=seed)
        if not summary.users:
            raise CommandError("no user has enough likes to test: seed a community first")
        self.stdout.write(f"Offline check: {summary}")
