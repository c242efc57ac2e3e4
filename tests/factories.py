"""Small builders for test data: each makes a valid object and takes overrides."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import count
from typing import Any

from django.contrib.auth import get_user_model

from accounts.models import Profile
from catalog.models import Anime, Kind, Studio, Tag
from people.models import Character, CharacterRole, Person, VoiceCredit
from reviews.models import Review

_sequence = count(1)


def make_anime(**overrides: Any) -> Anime:
    n = next(_sequence)
    fields = {"title": f"Test Anime {n}", "kind": Kind.TV, "episodes": 12, "episode_minutes": 24}
    fields.update(overrides)
    studios = fields.pop("studios", [])
    tags = fields.pop("tags", [])
    anime = Anime.objects.create(**fields)
    anime.studios.set(studios)
    anime.tags.set(tags)
    return anime


def make_studio(**overrides: Any) -> Studio:
    fields = {"name": f"Studio {next(_sequence)}", **overrides}
    return Studio.objects.create(**fields)


def make_tag(**overrides: Any) -> Tag:
    fields = {"name": f"Tag {next(_sequence)}", **overrides}
    return Tag.objects.create(**fields)


def make_superuser(username: str = "admin", password: str = "correct horse battery"):
    return get_user_model().objects.create_superuser(username, f"{username}@example.com", password)


def make_user(username: str | None = None, password: str = "correct horse battery", **profile: Any):
    """A user with a profile, as sign-up makes them; `profile` overrides its fields."""
    username = username or f"user{next(_sequence)}"
    user = get_user_model().objects.create_user(username, f"{username}@example.com", password)
    Profile.objects.create(user=user, **profile)
    return user


REVIEW_BODY = (
    "The first episodes take their time, and it pays off: every quiet scene builds the world "
    "a little more, so that when the story finally turns, it lands. The animation is uneven "
    "but bold where it counts, the soundtrack carries whole scenes on its own, and the cast "
    "grows on you. It drags a little in the middle, which keeps it from greatness."
)


def make_review(anime=None, author=None, **overrides: Any):
    """A visible review, scored 7 throughout unless told otherwise; builds its anime and author."""
    fields = {
        "anime": anime or make_anime(),
        "author": author or make_user(),
        "title": f"Review {next(_sequence)}",
        "body": REVIEW_BODY,
        **dict.fromkeys(["story", "animation", "sound", "characters", "overall"], 7),
        **overrides,
    }
    return Review.objects.create(**fields)


def make_character(**overrides: Any) -> Character:
    fields = {"name": f"Character {next(_sequence)}", **overrides}
    return Character.objects.create(**fields)


def make_person(**overrides: Any) -> Person:
    fields = {"name": f"Person {next(_sequence)}", **overrides}
    return Person.objects.create(**fields)


def make_cast(
    anime: Anime,
    character: Character | None = None,
    *,
    role: str = "main",
    voices: Iterable[tuple[Person, str]] = (),
    **overrides: Any,
) -> CharacterRole:
    """`character` in `anime`'s cast, voiced by each (person, language) of `voices`."""
    character_role = CharacterRole.objects.create(
        anime=anime, character=character or make_character(), role=role, **overrides
    )
    for person, language in voices:
        VoiceCredit.objects.create(character_role=character_role, person=person, language=language)
    return character_role
