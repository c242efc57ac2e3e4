from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from userlists.seeding import DemoUsersExist, seed_demo


class Command(BaseCommand):
    help = (
        "Create demo users (demo00001, …) with realistic watch lists and ratings, recount the"
        " anime's figures and rank them. Does nothing if demo users exist, unless --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--users",
            type=int,
            default=300,
            help="how many demo users (default 300; ~100 entries each)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="the same seed on the same catalog gives the same lists",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the demo users there are, and their lists, first",
        )

    def handle(
        self, *args, users: int, seed: int, replace: bool, verbosity: int, **options
    ) -> None:
        if users < 1:
            raise CommandError("--users must be at least 1")
        try:
            summary = seed_demo(
                users,
                seed=seed,
                replace=replace,
                progress=self.stdout.write if verbosity > 0 else lambda line: None,
            )
        except DemoUsersExist as exists:
            self.stdout.write(f"{exists}: nothing to do (--replace to seed them again).")
            return
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(summary))
