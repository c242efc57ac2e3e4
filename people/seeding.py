"""The demo's characters and staff: a few dozen well-known ones, for famous titles of the demo
catalog, so that `make run` shows the Characters and Staff blocks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.db import transaction

from catalog.models import Anime
from people.models import Character, CharacterRole, Person, StaffCredit, VoiceCredit

DEMO_PEOPLE = Path(__file__).resolve().parent / "demo" / "people.json"


@transaction.atomic
def load_demo_people(path: Path = DEMO_PEOPLE) -> Counter:
    """Add the file's characters, people and credits to the anime it names (by title and first
    year) that the catalog has; what exists already is left as it is, so a second run adds
    nothing and an editor's changes stay. Returns how many rows of each kind were created."""
    data = json.loads(path.read_text())
    created: Counter = Counter()

    def person(name: str) -> Person:
        found, new = Person.objects.get_or_create(name=name, defaults=data["people"].get(name, {}))
        created["people"] += new
        return found

    for entry in data["anime"]:
        anime = (
            Anime.objects.filter(title=entry["title"], start_year=entry["year"])
            .order_by("pk")
            .first()
        )
        if anime is None:
            created["anime missing"] += 1
            continue
        for role, names in entry["staff"].items():
            for name in names:
                _, new = StaffCredit.objects.get_or_create(
                    anime=anime, person=person(name), role=role
                )
                created["staff credits"] += new
        for order, cast in enumerate(entry["characters"]):
            character, new = Character.objects.get_or_create(
                name=cast["name"], defaults=data["characters"].get(cast["name"], {})
            )
            created["characters"] += new
            character_role, new = CharacterRole.objects.get_or_create(
                anime=anime, character=character, defaults={"role": cast["role"], "order": order}
            )
            created["character roles"] += new
            for language, names in cast.get("voices", {}).items():
                for name in names:
                    _, new = VoiceCredit.objects.get_or_create(
                        character_role=character_role, person=person(name), language=language
                    )
                    created["voice credits"] += new
    return created
