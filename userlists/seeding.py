"""A demo community: made-up users with realistic watch lists, for the demo catalog and benchmarks.

Lists are shaped by the demo CSV's MyAnimeList figures, which are never shown as this site's:
how many MAL users list an anime (Members) makes it that much more likely to be on a demo list,
and its MAL score (1–10) halved is the centre of its demo ratings. Anime the CSV does not know
are listed as often as a median one and rated around the CSV's mean.

Users have tastes, so that lists carry the signal a recommender learns from ("people who liked
this also liked…"), as real lists do, rather than popularity alone: each user favours two or
three tags (genres, themes) and one studio, drawn with odds growing with the square root of how
popular their anime are. A list is then drawn as a mixture: 55% of its picks among the anime of
a favourite tag, 15% among the favourite studio's, and 30% from the whole catalog, each by MAL
popularity; so an anime's odds are its popularity times the user's affinity for it. Users rate
anime of their tastes TASTE_LEAN stars higher. When the catalog knows relations (sequels…), a
user who lists an anime often lists its relatives too (FRANCHISE_FOLLOW): franchises go together.

Entries are written with COPY, past `ListEntry.objects.save_entry()`; the per-anime figures are
then recounted from all entries in set-based SQL (`rebuild_figures()`), so they are as exact as
the ones `save_entry()` keeps, and the catalog is ranked again.
"""

from __future__ import annotations

import csv
import io
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q

from catalog.importers import csv_list
from catalog.importers.files import open_catalog
from catalog.importers.records import BadRow
from catalog.management.commands.load_demo_catalog import DEMO_CATALOG
from catalog.models import AiringStatus, Anime, AnimeRelation
from catalog.ranking import RankSummary, rank_anime
from userlists.models import AnimeListStats, ListEntry, Status

DEMO_USERNAME = "demo{:05d}"  # demo00001, demo00002, …, demo100000
DEMO_EMAIL_DOMAIN = "demo.animedex.invalid"
# Both marks, so that --replace never deletes someone who signed up as "demo12345".
DEMO_USERS = Q(username__regex=r"^demo[0-9]{5,}$", email__endswith=f"@{DEMO_EMAIL_DOMAIN}")

# Entries per user: log-normal, median 60. About three users in four list 20 to 200 anime,
# one in 300 lists over 1,000, and the mean is ~100, so 10,000 users make ~1M entries.
ENTRIES_MEDIAN = 60
ENTRIES_SIGMA = 1.0
# Beyond this, drawing distinct anime by weight takes ever more draws for ever rarer anime.
MAX_ENTRIES = 5000

# Plain strings, not Status members: an enum member formats far slower, and a seed formats millions.
WATCHED, WATCHING, WANT, DROPPED = (
    Status.WATCHED.value,
    Status.WATCHING.value,
    Status.WANT_TO_WATCH.value,
    Status.DROPPED.value,
)
# (status, cumulative probability) by airing status. An airing anime cannot be finished yet,
# and an upcoming one can only be wanted.
STATUS_MIX = {
    AiringStatus.UPCOMING: [(WANT, 1.0)],
    AiringStatus.AIRING: [(WATCHING, 0.55), (WANT, 0.85), (DROPPED, 1.0)],
    None: [(WATCHED, 0.55), (WATCHING, 0.65), (WANT, 0.90), (DROPPED, 1.0)],
}
# How likely an entry is rated, and how it leans, by status. Users who drop an anime think less of it.
RATED = {WATCHED: 0.85, DROPPED: 0.6, WATCHING: 0.3}
STATUS_LEAN = {WATCHED: 0.0, WATCHING: 0.0, DROPPED: -1.0}
NEVER_RATES = 0.1  # the share of users who rate nothing
RATING_SPREAD = 0.6  # stars of noise around the anime's demo mean, per rating
USER_LEAN_SPREAD = 0.35  # stars: some users rate everything higher or lower
DATED = 0.6  # the share of started entries with dates
REWATCHED = 0.05  # the share of watched entries seen twice
HISTORY_YEARS = 15  # demo users have been keeping lists for this long

# Tastes (see the module's docstring): the shares of a list's picks drawn among the anime of the
# user's favourite tags and studio; the rest are drawn from the whole catalog.
FAVOURITE_TAGS = (2, 3)  # each user favours this many tags (either, at even odds)
FROM_FAVOURITE_TAGS = 0.55
FROM_FAVOURITE_STUDIO = 0.15
TASTE_LEAN = 0.4  # stars: users rate anime of their tastes this much higher
FRANCHISE_FOLLOW = 0.5  # the odds of listing each relative (sequel…) of an anime listed
# After this many rounds of draws, a list still short (its favourite pools are small and all
# drawn) is filled from the whole catalog alone.
TASTE_ROUNDS = 20

COPY_BATCH = 20_000  # rows per write to the COPY stream
PROGRESS_EVERY = 100_000  # list entries between progress lines

_ENTRY_COLUMNS = (
    "user_id",
    "anime_id",
    "status",
    "progress",
    "rating",
    "started_on",
    "finished_on",
    "rewatch_count",
    "notes",
    "created_at",
    "updated_at",
)


class DemoUsersExist(Exception):
    """Demo users are there already; seeding again needs `replace`."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count:,} demo users exist already")
        self.count = count


@dataclass(frozen=True)
class SeedSummary:
    users: int
    entries: int
    seconds: float
    rank: RankSummary

    def __str__(self) -> str:
        return (
            f"Seeded {self.users:,} users, {self.entries:,} list entries in {self.seconds:.1f} s;"
            f" {self.rank}"
        )


@dataclass(frozen=True)
class DemoAnime:
    """What a demo list needs to know of an anime."""

    id: int
    episodes: int | None
    airing_status: str | None
    first_day: int  # the first day (ordinal) a demo user could have watched it
    weight: int  # how often MyAnimeList users list it: the odds of a demo list having it
    mean: float  # the centre of its demo ratings, in stars
    tags: frozenset[int] = frozenset()  # tag ids
    studios: frozenset[int] = frozenset()  # studio ids
    related: tuple[int, ...] = ()  # ids of the anime it relates to (sequels, prequels, …)


def seed_demo(
    users: int,
    *,
    seed: int = 1,
    replace: bool = False,
    today: date | None = None,
    figures_from: Path = DEMO_CATALOG,
    progress: Callable[[str], None] = print,
) -> SeedSummary:
    """Create `users` demo users (demo00001, …) with watch lists, recount the figures, rank.

    All or nothing, in one transaction. Refuses (DemoUsersExist) when demo users exist, unless
    `replace`, which first deletes them with their entries. The same seed on the same catalog
    gives the same lists; dates are spread over the years before `today`. `figures_from` is the
    anime list CSV whose MyAnimeList figures shape the lists (demo_anime).
    """
    started = time.monotonic()
    today = today or date.today()
    User = get_user_model()
    with transaction.atomic():
        existing = User.objects.filter(DEMO_USERS)
        if existing.exists():
            if not replace:
                raise DemoUsersExist(existing.count())
            entries, _ = ListEntry.objects.filter(user__in=existing).delete()
            existing.delete()
            progress(f"Deleted the demo users there were, and their {entries:,} list entries")
        catalog = demo_anime(today, figures_from)
        if not catalog:
            raise ValueError("the catalog is empty: load it first (load_demo_catalog)")
        user_ids = _create_users(users)
        progress(f"Created {users:,} demo users; writing their lists …")
        rng = random.Random(seed)
        entries = _copy_entries(_list_rows(user_ids, catalog, rng, today.toordinal()), progress)
        progress(f"Wrote {entries:,} list entries; recounting the figures …")
        rebuild_figures()
        with connection.cursor() as cursor:
            # Fresh planner statistics, or the first pages after a big seed plan for empty tables.
            for model in (ListEntry, AnimeListStats):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        rank = rank_anime()
        progress("Ranked; committing …")
    return SeedSummary(len(user_ids), entries, time.monotonic() - started, rank)


def demo_anime(today: date, path: Path = DEMO_CATALOG) -> list[DemoAnime]:
    """Every anime of the catalog, by id, with its MyAnimeList figures from the demo CSV."""
    figures = mal_figures(path) if Anime.objects.filter(import_key__isnull=False).exists() else {}
    members = sorted(count for _, count in figures.values())
    usual_weight = members[len(members) // 2] if members else 1
    scores = [score for score, _ in figures.values() if score is not None]
    usual_score = sum(scores) / len(scores) if scores else 7.0
    earliest = today.toordinal() - 365 * HISTORY_YEARS
    tags = _links(Anime.tags.through.objects.values_list("anime_id", "tag_id"))
    studios = _links(Anime.studios.through.objects.values_list("anime_id", "studio_id"))
    related = _links(AnimeRelation.objects.values_list("from_anime_id", "to_anime_id"))
    catalog = []
    rows = Anime.objects.order_by("id").values_list(
        "id", "import_key", "episodes", "airing_status", "start_year"
    )
    for anime_id, key, episodes, airing_status, start_year in rows:
        score, weight = figures.get(key, (None, usual_weight))
        first_day = date(start_year, 1, 1).toordinal() if start_year else earliest
        catalog.append(
            DemoAnime(
                id=anime_id,
                episodes=episodes,
                airing_status=airing_status,
                first_day=min(max(first_day, earliest), today.toordinal()),
                weight=max(weight, 1),
                mean=(score or usual_score) / 2,
                tags=frozenset(tags[anime_id]),
                studios=frozenset(studios[anime_id]),
                related=tuple(related[anime_id]),
            )
        )
    return catalog


def _links(pairs: Iterable[tuple[int, int]]) -> defaultdict[int, list[int]]:
    """anime id → the ids it links to, in order (for the same lists from the same seed)."""
    links: defaultdict[int, list[int]] = defaultdict(list)
    for anime_id, other in sorted(pairs):
        links[anime_id].append(other)
    return links


def mal_figures(path: Path = DEMO_CATALOG) -> dict[str, tuple[float | None, int]]:
    """import key → (MAL score or None, MAL members) for each usable row of the demo CSV."""
    figures: dict[str, tuple[float | None, int]] = {}
    with open_catalog(path) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
        for row in csv.DictReader(text):
            try:
                key = csv_list.parse_row(row).key
                members = int(row["Members"].replace(",", ""))
            except (BadRow, ValueError):
                continue
            try:
                score = float(row["Score"])
            except ValueError:  # "N/A": too few MAL votes
                score = None
            # An anime scraped twice has two member counts; the larger is the later scrape.
            if members > figures.get(key, (None, -1))[1]:
                figures[key] = (score, members)
    return figures


def rebuild_figures() -> None:
    """Recount every anime's list figures from the entries, and copy votes and mean to Anime.

    The same figures `ListEntry.objects.save_entry()` keeps by increments, from scratch, in
    set-based SQL: per-status counts, rating sum and votes per anime; the mean is the sum over
    the votes rounded to 3 places, as `save_entry()` rounds it. Only rows that change are written.
    """
    anime = connection.ops.quote_name(Anime._meta.db_table)
    stats = connection.ops.quote_name(AnimeListStats._meta.db_table)
    entries = connection.ops.quote_name(ListEntry._meta.db_table)
    with connection.cursor() as cursor:
        # Blocks save_entry()'s increments (ROW EXCLUSIVE) until this transaction ends: one that
        # has inserted its entry but not yet counted it waits and adds 1 to the recount, which
        # doesn't see the uncommitted entry; one that committed before is in the recount.
        cursor.execute(f"LOCK TABLE {stats} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(_RECOUNT_SQL.format(stats=stats, entries=entries))
        cursor.execute(_FORGET_SQL.format(stats=stats, entries=entries))
        cursor.execute(_COPY_TO_ANIME_SQL.format(anime=anime, stats=stats))


_RECOUNT_SQL = """
INSERT INTO {stats} AS stats (anime_id, watched, watching, want, dropped, rating_sum, votes)
SELECT anime_id,
       count(*) FILTER (WHERE status = 'watched'),
       count(*) FILTER (WHERE status = 'watching'),
       count(*) FILTER (WHERE status = 'want'),
       count(*) FILTER (WHERE status = 'dropped'),
       coalesce(sum(rating), 0),
       count(rating)
FROM {entries}
GROUP BY anime_id
ON CONFLICT (anime_id) DO UPDATE
SET watched = excluded.watched, watching = excluded.watching, want = excluded.want,
    dropped = excluded.dropped, rating_sum = excluded.rating_sum, votes = excluded.votes
WHERE (stats.watched, stats.watching, stats.want, stats.dropped, stats.rating_sum, stats.votes)
    IS DISTINCT FROM (excluded.watched, excluded.watching, excluded.want, excluded.dropped,
                      excluded.rating_sum, excluded.votes)
"""

# Anime whose last entries went: zeros, as remove_entry() leaves them.
_FORGET_SQL = """
UPDATE {stats} AS stats
SET watched = 0, watching = 0, want = 0, dropped = 0, rating_sum = 0, votes = 0
WHERE NOT EXISTS (SELECT FROM {entries} AS entry WHERE entry.anime_id = stats.anime_id)
    AND (stats.watched, stats.watching, stats.want, stats.dropped, stats.rating_sum, stats.votes)
        IS DISTINCT FROM (0, 0, 0, 0, 0, 0)
"""

_COPY_TO_ANIME_SQL = """
UPDATE {anime} AS anime
SET votes = counted.votes, average_rating = counted.mean, members = counted.members,
    page_version = anime.page_version + 1
FROM (
    SELECT current.id,
           coalesce(stats.votes, 0) AS votes,
           CASE WHEN stats.votes > 0 THEN round(stats.rating_sum / stats.votes, 3) END AS mean,
           coalesce(stats.watched + stats.watching + stats.want + stats.dropped, 0) AS members
    FROM {anime} AS current LEFT JOIN {stats} AS stats ON stats.anime_id = current.id
) AS counted
WHERE anime.id = counted.id
    AND (anime.votes, anime.average_rating, anime.members)
        IS DISTINCT FROM (counted.votes, counted.mean, counted.members)
"""


def _create_users(count: int) -> list[int]:
    User = get_user_model()
    password = make_password(None)  # unusable: nobody logs in as a demo user
    created = User.objects.bulk_create(
        (
            User(username=name, email=f"{name}@{DEMO_EMAIL_DOMAIN}", password=password)
            for name in map(DEMO_USERNAME.format, range(1, count + 1))
        ),
        batch_size=5000,
    )
    return [user.pk for user in created]


def _copy_entries(rows: Iterator[str], progress: Callable[[str], None]) -> int:
    table = connection.ops.quote_name(ListEntry._meta.db_table)
    written = 0
    batch: list[str] = []
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit by default, which for a million rows
        # is a long wait after the last one; checked as rows arrive, the server does it while
        # this process makes the next rows.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with cursor.copy(f"COPY {table} ({', '.join(_ENTRY_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                batch.append(row)
                if len(batch) == COPY_BATCH:
                    copy.write("".join(batch))
                    batch.clear()
                written += 1
                if written % PROGRESS_EVERY == 0:
                    progress(f"  {written:,} list entries …")
            copy.write("".join(batch))
    return written


@dataclass
class _Pool:
    """Anime to draw from, each by its weight (catalog indices and cumulative weights)."""

    indices: list[int] = field(default_factory=list)
    cum_weights: list[int] = field(default_factory=list)

    def add(self, index: int, weight: int) -> None:
        self.indices.append(index)
        self.cum_weights.append((self.cum_weights[-1] if self.cum_weights else 0) + weight)

    @property
    def mass(self) -> int:
        return self.cum_weights[-1] if self.cum_weights else 0

    def draw(self, rng: random.Random, k: int) -> list[int]:
        return rng.choices(self.indices, cum_weights=self.cum_weights, k=k) if k else []


@dataclass(frozen=True)
class _Favourites:
    """The pools a user's tastes draw from, with their odds (by the square root of their mass)."""

    keys: list[int]
    pools: list[_Pool]
    cum_odds: list[float]

    @classmethod
    def of(cls, pools: dict[int, _Pool]) -> _Favourites:
        keys = sorted(pools)
        odds, total = [], 0.0
        for key in keys:
            total += math.sqrt(pools[key].mass)
            odds.append(total)
        return cls(keys, [pools[key] for key in keys], odds)

    def pick(self, rng: random.Random, k: int) -> list[int]:
        """k distinct favourites (fewer if there are fewer): their positions in `keys`."""
        k = min(k, len(self.keys))
        picked: dict[int, None] = {}
        while len(picked) < k:
            picked.update(
                dict.fromkeys(rng.choices(range(len(self.keys)), cum_weights=self.cum_odds))
            )
        return list(picked)


def _pools_by(catalog: Sequence[DemoAnime], attribute: str) -> _Favourites:
    pools: defaultdict[int, _Pool] = defaultdict(_Pool)
    for index, anime in enumerate(catalog):
        for key in getattr(anime, attribute):
            pools[key].add(index, anime.weight)
    return _Favourites.of(pools)


def _list_rows(
    user_ids: Sequence[int], catalog: Sequence[DemoAnime], rng: random.Random, today: int
) -> Iterator[str]:
    """The lines of COPY's text format, user by user: tab-separated, \\N for NULL."""
    everything = _Pool()
    for index, anime in enumerate(catalog):
        everything.add(index, anime.weight)
    by_tag = _pools_by(catalog, "tags")
    by_studio = _pools_by(catalog, "studios")
    position = {anime.id: index for index, anime in enumerate(catalog)}
    most = min(MAX_ENTRIES, max(1, len(catalog) // 2))
    for user_id in user_ids:
        size = min(most, max(1, round(rng.lognormvariate(math.log(ENTRIES_MEDIAN), ENTRIES_SIGMA))))
        lean = rng.gauss(0, USER_LEAN_SPREAD)
        rates = rng.random() >= NEVER_RATES
        tags = by_tag.pick(rng, rng.choice(FAVOURITE_TAGS))
        studios = by_studio.pick(rng, 1)
        tastes = [(by_tag.pools[n], FROM_FAVOURITE_TAGS / len(tags)) for n in tags]
        tastes += [(by_studio.pools[n], FROM_FAVOURITE_STUDIO) for n in studios]
        chosen = _choose(size, everything, tastes, rng)
        for index in list(chosen):
            for relative in catalog[index].related:
                if len(chosen) < most and rng.random() < FRANCHISE_FOLLOW:
                    chosen[position[relative]] = None
        liked_tags = {by_tag.keys[n] for n in tags}
        liked_studios = {by_studio.keys[n] for n in studios}
        for index in chosen:
            anime = catalog[index]
            liked = not liked_tags.isdisjoint(anime.tags) or not liked_studios.isdisjoint(
                anime.studios
            )
            taste_lean = lean + TASTE_LEAN if liked else lean
            yield _entry_line(user_id, anime, rng, today, taste_lean, rates)


def _choose(
    size: int, everything: _Pool, tastes: list[tuple[_Pool, float]], rng: random.Random
) -> dict[int, None]:
    """`size` distinct anime: weighted draws with replacement, each from a favourite pool with
    its share of the odds or else from the whole catalog, until enough are distinct. A dict
    keeps them in first-drawn order."""
    chosen: dict[int, None] = {}
    pools = [pool for pool, _ in tastes]
    shares = [share for _, share in tastes]
    from_tastes = sum(shares)
    rounds = 0
    while len(chosen) < size:
        need = size - len(chosen)
        rounds += 1
        picks: list[int] = []
        if pools and rounds <= TASTE_ROUNDS:
            # Each draw goes to the favourite pools at their shares, else to the whole catalog.
            taste_draws = rng.binomialvariate(need, from_tastes)
            per_pool = Counter(rng.choices(range(len(pools)), weights=shares, k=taste_draws))
            for n, count in sorted(per_pool.items()):
                picks += pools[n].draw(rng, count)
        picks += everything.draw(rng, need - len(picks))
        chosen.update(dict.fromkeys(picks))
    return chosen


def _entry_line(
    user_id: int, anime: DemoAnime, rng: random.Random, today: int, lean: float, rates: bool
) -> str:
    draw = rng.random()
    mix = STATUS_MIX.get(anime.airing_status, STATUS_MIX[None])
    status = next(status for status, upto in mix if draw < upto)
    progress = _progress(status, anime.episodes, rng)
    rating = r"\N"
    if rates and rng.random() < RATED.get(status, 0):
        stars = anime.mean + lean + STATUS_LEAN[status] + rng.gauss(0, RATING_SPREAD)
        rating = f"{min(5.0, max(0.5, round(stars * 2) / 2)):.1f}"
    started = finished = None
    added = _between(rng, anime.first_day, today)
    if status != WANT and rng.random() < DATED:
        started = added
        if status == WATCHED:
            # A day or three per episode, but the list says it was finished by today.
            days = (anime.episodes or 12) * _between(rng, 1, 3)
            finished = min(started + days, today)
    added_at = _moment(added, rng)
    if finished:
        updated_at = max(added_at, _moment(finished, rng))
    elif status == WATCHING:
        updated_at = max(added_at, _moment(_between(rng, added, today), rng))
    else:
        updated_at = added_at
    rewatches = 1 if status == WATCHED and rng.random() < REWATCHED else 0
    return (
        f"{user_id}\t{anime.id}\t{status}\t{progress}\t{rating}\t{_day(started)}\t"
        f"{_day(finished)}\t{rewatches}\t\t{_timestamp(added_at)}\t{_timestamp(updated_at)}\n"
    )


def _progress(status: str, episodes: int | None, rng: random.Random) -> int:
    """Episodes seen, never past the last (when the count is known)."""
    if status == WANT:
        return 0
    if episodes is None:
        # Long or still airing without a known end: some episodes, unknown whether all.
        return 0 if status == WATCHED else _between(rng, 1, 24)
    if status == WATCHED:
        return episodes
    if status == WATCHING:
        return _between(rng, 1, episodes - 1) if episodes > 1 else 0
    return _between(rng, 1, max(1, episodes // 2)) if episodes > 1 else 0  # dropped early


def _between(rng: random.Random, low: int, high: int) -> int:
    """rng.randint(low, high) at a fifth of the cost: a seed draws millions."""
    return low + int(rng.random() * (high - low + 1))


@cache
def _day(ordinal: int | None) -> str:
    return date.fromordinal(ordinal).isoformat() if ordinal else r"\N"


_CLOCK = [f"{hour:02}:{minute:02}" for hour in range(24) for minute in range(60)]


def _moment(ordinal: int, rng: random.Random) -> int:
    """A random minute of the day, counted from the start of day 1."""
    return ordinal * 1440 + int(rng.random() * 1440)


def _timestamp(moment: int) -> str:
    day, minute = divmod(moment, 1440)
    return f"{_day(day)} {_CLOCK[minute]}+00"
