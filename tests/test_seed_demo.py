from __future__ import annotations

import gzip
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from catalog.models import AiringStatus, Anime
from catalog.ranking import MIN_VOTES
from tests.factories import make_anime, make_tag
from userlists.models import RATINGS, AnimeListStats, ListEntry, Status
from userlists.seeding import mal_figures, rebuild_figures, seed_demo

pytestmark = pytest.mark.django_db

CSV_HEADER = (
    "Ranking,Title,Type,Japanese,Aired,Episodes,Duration,Score,Source,Genres,Themes,Licensors,"
    "Producers,Rating,Status,Studios,Members\n"
)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def entries() -> list[tuple]:
    return list(
        ListEntry.objects.order_by("user__username", "anime_id").values_list(
            "user__username",
            "anime_id",
            "status",
            "progress",
            "rating",
            "started_on",
            "finished_on",
            "created_at",
        )
    )


def csv_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "list.csv.gz"
    path.write_bytes(gzip.compress((CSV_HEADER + "".join(rows)).encode()))
    return path


@pytest.fixture
def catalog() -> list[Anime]:
    """40 anime: finished, airing and upcoming; 1, 12, 24 or an unknown number of episodes."""
    episodes = [1, 12, 24, None]
    statuses = [AiringStatus.FINISHED] * 6 + [AiringStatus.AIRING, AiringStatus.UPCOMING, None]
    return [
        make_anime(
            start_year=2000 + n % 20,
            episodes=episodes[n % len(episodes)],
            airing_status=statuses[n % len(statuses)],
        )
        for n in range(40)
    ]


@pytest.fixture
def seeded(catalog) -> None:
    seed("--users", "50", "--seed", "7")


def test_creates_the_demo_users(seeded):
    users = get_user_model().objects.order_by("username")
    assert users.count() == 50
    assert [user.username for user in users[:2]] == ["demo00001", "demo00002"]


def test_demo_users_cannot_log_in(seeded):
    assert not any(user.has_usable_password() for user in get_user_model().objects.all())


def test_every_demo_user_has_a_list(seeded):
    listing = ListEntry.objects.values("user").distinct().count()
    assert listing == 50
    assert ListEntry.objects.count() > 300


def test_statuses_fit_the_airing_status(seeded):
    by_airing = Counter(ListEntry.objects.values_list("anime__airing_status", "status"))
    assert {status for _, status in by_airing} == set(Status.values)
    assert {status for airing, status in by_airing if airing == AiringStatus.UPCOMING} == {
        Status.WANT_TO_WATCH
    }
    assert (AiringStatus.AIRING, Status.WATCHED) not in by_airing


def test_progress_never_passes_the_last_episode(seeded):
    assert not ListEntry.objects.filter(progress__gt=F("anime__episodes")).exists()


def test_progress_matches_the_status(seeded):
    assert not ListEntry.objects.filter(status=Status.WANT_TO_WATCH, progress__gt=0).exists()
    watched = ListEntry.objects.filter(status=Status.WATCHED).exclude(anime__episodes=None)
    assert not watched.exclude(progress=F("anime__episodes")).exists()


def test_ratings_are_half_stars_from_half_to_five(seeded):
    ratings = set(ListEntry.objects.exclude(rating=None).values_list("rating", flat=True))
    assert ratings <= set(RATINGS)
    assert len(ratings) > 3


def test_most_watched_entries_are_rated_and_want_to_watch_never(seeded):
    watched = ListEntry.objects.filter(status=Status.WATCHED)
    assert watched.exclude(rating=None).count() > watched.count() / 2
    assert not ListEntry.objects.filter(status=Status.WANT_TO_WATCH).exclude(rating=None).exists()


def test_some_entries_have_dates_and_only_watched_ones_an_end(seeded):
    assert ListEntry.objects.exclude(started_on=None).exists()
    assert set(ListEntry.objects.exclude(finished_on=None).values_list("status", flat=True)) == {
        Status.WATCHED
    }
    assert not ListEntry.objects.filter(started_on__gt=date.today()).exists()


def test_list_figures_equal_a_recount_of_the_entries(seeded):
    recount = {
        row["anime"]: (
            row["watched"],
            row["watching"],
            row["want"],
            row["dropped"],
            row["rating_sum"] or 0,
            row["votes"],
        )
        for row in ListEntry.objects.values("anime").annotate(
            **{status: Count("id", filter=Q(status=status)) for status in Status.values},
            rating_sum=Sum("rating"),
            votes=Count("rating"),
        )
    }
    stored = {
        stats.anime_id: (
            stats.watched,
            stats.watching,
            stats.want,
            stats.dropped,
            stats.rating_sum,
            stats.votes,
        )
        for stats in AnimeListStats.objects.all()
    }
    assert stored == recount


def test_anime_votes_and_means_equal_a_recount_of_the_ratings(seeded):
    for anime in Anime.objects.all():
        ratings = list(anime.list_entries.exclude(rating=None).values_list("rating", flat=True))
        mean = round(sum(ratings) / len(ratings), 3) if ratings else None
        assert (anime.votes, anime.average_rating) == (len(ratings), mean)


def test_seeding_ranks_the_catalog(seeded):
    assert Anime.objects.filter(votes__gte=MIN_VOTES, rank=None).count() == 0
    assert Anime.objects.exclude(popularity=None).count() == AnimeListStats.objects.count()


def test_the_same_seed_gives_the_same_lists(seeded):
    first = entries()
    seed("--users", "50", "--seed", "7", "--replace")
    assert entries() == first


def test_another_seed_gives_other_lists(seeded):
    first = entries()
    seed("--users", "50", "--seed", "8", "--replace")
    assert entries() != first


def test_replace_keeps_users_who_merely_look_like_demo_users(seeded, django_user_model):
    django_user_model.objects.create_user("demo99999", "someone@example.com", "x")
    seed("--users", "50", "--replace")
    assert django_user_model.objects.filter(username="demo99999").exists()


def test_refuses_to_seed_twice(seeded):
    before = entries()
    out = seed("--users", "10")
    assert "50 demo users exist already" in out
    assert get_user_model().objects.count() == 50
    assert entries() == before


def test_replace_keeps_other_users_lists_in_the_figures(catalog, django_user_model):
    someone = django_user_model.objects.create_user("someone", password="x")
    anime = catalog[0]
    ListEntry.objects.save_entry(someone, anime, status=Status.WATCHED, rating=Decimal("5"))
    seed("--users", "20")
    seed("--users", "10", "--replace")
    assert django_user_model.objects.count() == 11
    assert ListEntry.objects.filter(user=someone).count() == 1
    stats = AnimeListStats.objects.get(anime=anime)
    assert stats.watched == ListEntry.objects.filter(anime=anime, status=Status.WATCHED).count()


def test_the_summary_says_what_was_seeded(catalog):
    out = seed("--users", "5")
    assert "Seeded 5 users" in out
    assert "ranked" in out


def test_popular_anime_are_listed_more_and_rated_as_on_myanimelist(tmp_path):
    hit = make_anime(title="Big Hit", kind="tv", start_year=2009, import_key="big hit|tv|2009")
    flop = make_anime(title="Flop", kind="tv", start_year=2010, import_key="flop|tv|2010")
    make_anime(title="Filler A")
    make_anime(title="Filler B")
    figures = csv_file(
        tmp_path,
        '1,Big Hit,TV,,"Apr 5, 2009 to Jul 4, 2010",12,24 min. per ep.,9.00,Manga,,,,,,'
        'Finished Airing,,"1,000,000"\n',
        '2,Flop,TV,,"Jan 3, 2010 to Mar 20, 2010",12,24 min. per ep.,3.00,Manga,,,,,,'
        "Finished Airing,,1\n",
    )
    seed_demo(200, figures_from=figures, progress=lambda line: None)
    hit.refresh_from_db()
    flop.refresh_from_db()
    assert hit.list_entries.count() > 5 * flop.list_entries.count()
    assert hit.average_rating > Decimal(4)
    assert flop.votes == 0 or flop.average_rating < hit.average_rating


def test_mal_figures_read_score_and_members_by_import_key(tmp_path):
    path = csv_file(
        tmp_path,
        '1,Blame!,ONA,,"Jul 2003",6,5 min. per ep.,6.91,Manga,,,,,,Finished Airing,,"12,345"\n',
        "2,Unscored,Movie,,2020,1,1 hr. 30 min.,N/A,Original,,,,,,Finished Airing,,18\n",
    )
    assert mal_figures(path) == {"blame|web|2003": (6.91, 12345), "unscored|movie|2020": (None, 18)}


def test_rebuilding_figures_corrects_drifted_counts(catalog, django_user_model):
    user = django_user_model.objects.create_user("someone", password="x")
    ListEntry.objects.save_entry(user, catalog[0], status=Status.WATCHED, rating=Decimal("4"))
    AnimeListStats.objects.filter(anime=catalog[0]).update(watched=7, votes=3, rating_sum=9)
    Anime.objects.filter(pk=catalog[0].pk).update(votes=3, average_rating=3)
    rebuild_figures()
    stats = AnimeListStats.objects.get(anime=catalog[0])
    catalog[0].refresh_from_db()
    assert (stats.watched, stats.votes, stats.rating_sum) == (1, 1, 4)
    assert (catalog[0].votes, catalog[0].average_rating) == (1, Decimal("4.000"))


def test_rebuilding_figures_zeroes_anime_whose_entries_went(catalog, django_user_model):
    user = django_user_model.objects.create_user("someone", password="x")
    ListEntry.objects.save_entry(user, catalog[0], status=Status.WATCHED, rating=Decimal("4"))
    ListEntry.objects.filter(user=user).delete()  # past remove_entry(): the figures stay
    rebuild_figures()
    stats = AnimeListStats.objects.get(anime=catalog[0])
    catalog[0].refresh_from_db()
    assert (stats.watched, stats.votes, stats.rating_sum) == (0, 0, 0)
    assert (catalog[0].votes, catalog[0].average_rating) == (0, None)


def test_users_favour_a_few_tags():
    tags = [make_tag() for _ in range(10)]
    for n in range(100):
        make_anime(tags=[tags[n % 10]])
    seed_demo(60, progress=lambda line: None)
    by_user: dict[int, Counter] = {}
    for user_id, tag_id in ListEntry.objects.values_list("user_id", "anime__tags"):
        by_user.setdefault(user_id, Counter())[tag_id] += 1
    # Without tastes, a list's three most listed tags would hold about a third of it.
    top_three = [
        sum(count for _, count in tags.most_common(3)) / tags.total()
        for tags in by_user.values()
        if tags.total() >= 10
    ]
    assert sum(top_three) / len(top_three) > 0.5
