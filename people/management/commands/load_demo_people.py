from __future__ import annotations

from django.core.management.base import BaseCommand

from people.seeding import load_demo_people


class Command(BaseCommand):
    help = (
        "Add the demo's characters, staff and voice actors to famous anime of the demo catalog."
        " Safe to run again: what exists is left alone."
    )

    def handle(self, *args, **options) -> None:
        created = load_demo_people()
        missing = created.pop("anime missing", 0)
        summary = ", ".join(f"{count} {kind}" for kind, count in created.items() if count)
        if missing:
            summary = (
                f"{summary or 'nothing new'} ({missing} of the demo's anime not in the catalog)"
            )
        self.stdout.write(f"Demo characters and staff: {summary or 'nothing new'}.")
