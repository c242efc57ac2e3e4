"""Demo custom lists: public lists by the demo users (userlists.seeding), so that a fresh
`make run` shows recent lists, and anime pages the lists that hold them.

Each list gathers well-ranked anime of one tag, best first with a little shuffling, as people
order a favourites list. Lists go through `CustomList.add()`, like a member's clicks, so their
positions, counts and the anime pages' versions are what the site itself would keep.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from catalog.models import Tag
from customlists.models import CustomList
from userlists.seeding import DEMO_USERS

DEMO_LISTS = 40
MIN_TAG_ANIME = 20
TITLES = [
    "{tag} essentials",
    "Best {tag} anime",
    "My favourite {tag} shows",
    "{tag}: where to start",
    "Underrated {tag}",
]
DESCRIPTIONS = [
    "The ones I recommend first, in the order I would watch them.",
    "Everything here is worth your time; the top of the list most of all.",
    "",
]


def seed_demo_lists(count: int = DEMO_LISTS, *, seed: int = 1) -> int:
    """Create up to `count` public lists owned by demo users; how many it created. None when
    there are no demo users, or when they have lists already (so it is safe to run again)."""
    owners = list(get_user_model().objects.filter(DEMO_USERS).order_by("pk"))
    if not owners or CustomList.objects.filter(owner__in=owners).exists():
        return 0
    rng = random.Random(seed)
    tags = list(
        Tag.objects.annotate(size=Count("anime"))
        .filter(size__gte=MIN_TAG_ANIME)
        .order_by("-size", "name")[: count * 2]
    )
    created = 0
    for tag in rng.sample(tags, min(count, len(tags))):
        best = list(tag.anime.defer("synopsis").ranked_first()[:40])
        picks = sorted(rng.sample(best, rng.randint(8, 20)), key=lambda anime: best.index(anime))
        # A nudge here and there: nobody's favourites follow the ranking exactly.
        for _ in range(len(picks) // 4):
            n = rng.randrange(len(picks) - 1)
            picks[n], picks[n + 1] = picks[n + 1], picks[n]
        with transaction.atomic():
            custom_list = CustomList.objects.create_list(
                owner=rng.choice(owners),
                title=rng.choice(TITLES).format(tag=tag.name),
                description=rng.choice(DESCRIPTIONS),
            )
            for anime in picks:
                custom_list.add(anime)
        created += 1
    return created
