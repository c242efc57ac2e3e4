""" "If you like this anime, you might like…": the computation, its explanations, the anime page
block, and the offline check against "most popular"."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Anime, AnimeRelation, RelationType
from tests.factories import make_anime, make_studio, make_tag, make_user
from userlists.models import ListEntry, Recommendation, RecommendationReason, Status
from userlists.recommendation_check import check_recommendations
from userlists.recommendations import ALPHA, SHOWN, SHRINKAGE, TOP_N, recommend_anime
from userlists.seeding import seed_demo

pytestmark = pytest.mark.django_db


def like(users, *anime, status: str = Status.WATCHED, rating: str | None = None) -> None:
    """Each of `users` lists each of `anime` (written directly: figures don't matter here)."""
    ListEntry.objects.bulk_create(
        ListEntry(
            user=user,
            anime=one,
            status=status,
            rating=Decimal(rating) if rating else None,
        )
        for user in users
        for one in anime
    )


def users(count: int, **profile) -> list:
    return [make_user(**profile) for _ in range(count)]


def recommended(anime: Anime) -> list[tuple[str, str]]:
    return [
        (r.recommended.title, r.reason)
        for r in Recommendation.objects.filter(anime=anime)
        .select_related("recommended")
        .order_by("rank")
    ]


def get(anime: Anime, recommended_anime: Anime) -> Recommendation:
    return Recommendation.objects.get(anime=anime, recommended=recommended_anime)


@pytest.fixture
def blame() -> Anime:
    return make_anime(title="BLAME!")


# The computation


def test_anime_liked_by_the_same_users_recommend_each_other(blame):
    knights, biomega = make_anime(title="Knights of Sidonia"), make_anime(title="Biomega")
    fans = users(8)
    like(fans, blame)
    like(fans[:5], knights)
    like(fans[5:], biomega)
    recommend_anime()
    assert recommended(blame) == [
        ("Knights of Sidonia", RecommendationReason.LISTERS),
        ("Biomega", RecommendationReason.LISTERS),
    ]
    assert get(blame, knights).shared_listers == 5
    assert recommended(knights)[0] == ("BLAME!", RecommendationReason.LISTERS)


def test_the_score_divides_the_fans_in_common_by_both_anime_s_fans_and_shrinks(blame):
    knights = make_anime(title="Knights of Sidonia")
    fans = users(9)
    like(fans, blame)
    like(fans[:6], knights)
    recommend_anime()
    shared = 6
    expected = shared / (9**ALPHA * 6 ** (1 - ALPHA)) * shared / (shared + SHRINKAGE)
    assert get(blame, knights).score == pytest.approx(expected, abs=1e-6)


def test_a_very_popular_anime_does_not_top_everything(blame):
    everyones, knights = make_anime(title="Everyone's favourite"), make_anime(title="Knights")
    crowd = users(100)
    like(crowd, everyones)
    like(crowd[:8], blame)  # every fan of BLAME! likes the popular one too: 8 in common
    like(crowd[:5], knights)  # five of them like Knights as well: only 5 in common
    recommend_anime()
    assert [title for title, _ in recommended(blame)] == ["Knights", "Everyone's favourite"]


def test_dropped_wanted_and_poorly_rated_entries_are_not_likes(blame):
    knights = make_anime(title="Knights")
    fans = users(6)
    like(fans, blame)
    like(fans[:2], knights, status=Status.DROPPED)
    like(fans[2:4], knights, status=Status.WANT_TO_WATCH)
    like(fans[4:], knights, rating="2.5")
    recommend_anime()
    assert not Recommendation.objects.filter(reason=RecommendationReason.LISTERS).exists()


def test_watching_and_well_rated_entries_are_likes(blame):
    knights = make_anime(title="Knights")
    fans = users(6)
    like(fans, blame, rating="4.5")
    like(fans[:3], knights, status=Status.WATCHING)
    like(fans[3:], knights, rating="3.0")
    recommend_anime()
    assert get(blame, knights).shared_listers == 6


def test_too_few_shared_fans_recommend_nothing(blame):
    knights = make_anime(title="Knights")
    fans = users(8)
    like(fans, blame)
    like(fans[:2], knights)
    recommend_anime()
    assert recommended(blame) == []


def test_private_lists_never_feed_the_recommendations(blame):
    knights, secret = make_anime(title="Knights"), make_anime(title="Secret")
    public, private = users(6), users(6, list_is_public=False)
    like(public, blame, knights)
    like(private, blame, knights, secret)
    recommend_anime()
    pairs = set(Recommendation.objects.values_list("anime__title", "recommended__title"))
    assert pairs == {("BLAME!", "Knights"), ("Knights", "BLAME!")}
    assert get(blame, knights).shared_listers == 6  # the private lists aren't counted either


def test_users_without_a_profile_have_public_lists(blame, django_user_model):
    knights = make_anime(title="Knights")
    fans = [django_user_model.objects.create_user(f"bulk{n}") for n in range(5)]
    like(fans, blame, knights)
    recommend_anime()
    assert get(blame, knights).shared_listers == 5


def test_each_anime_keeps_its_top_n(blame):
    others = [make_anime(title=f"Other {n}") for n in range(TOP_N + 5)]
    fans = users(5)
    like(fans, blame, *others)
    recommend_anime()
    ranks = list(Recommendation.objects.filter(anime=blame).values_list("rank", flat=True))
    assert sorted(ranks) == list(range(1, TOP_N + 1))


# The fallback for anime with too few fans


def test_anime_without_fans_are_recommended_anime_sharing_their_rarest_tags(blame):
    cyberpunk, dystopia, action = (
        make_tag(name="Cyberpunk"),
        make_tag(name="Dystopia"),
        make_tag(name="Action"),
    )
    blame.tags.set([cyberpunk, dystopia, action])
    for n in range(6):
        make_anime(title=f"Action {n}", tags=[action])
    make_anime(title="Ghost in the Shell", tags=[cyberpunk, dystopia, action])
    make_anime(title="Psycho-Pass", tags=[dystopia])
    recommend_anime()
    top = recommended(blame)[:2]
    assert top == [
        ("Ghost in the Shell", RecommendationReason.TAGS),
        ("Psycho-Pass", RecommendationReason.TAGS),
    ]
    ghost = Recommendation.objects.get(anime=blame, rank=1)
    assert ghost.shared_tags == ["Cyberpunk", "Dystopia", "Action"]


def test_anime_of_the_same_studio_are_recommended(blame):
    tac = make_studio(name="Group TAC")
    blame.studios.set([tac])
    make_anime(title="Touch", studios=[tac])
    make_anime(title="Elsewhere")
    recommend_anime()
    assert recommended(blame) == [("Touch", RecommendationReason.STUDIO)]
    assert Recommendation.objects.get(anime=blame).detail == "Group TAC"


def test_related_anime_come_first_and_are_seen_from_both_ends(blame):
    tag = make_tag(name="Mecha")
    blame.tags.set([tag])
    sequel = make_anime(title="BLAME! 2", tags=[])
    make_anime(title="Twin", tags=[tag])
    AnimeRelation.objects.create(
        from_anime=blame, to_anime=sequel, relation_type=RelationType.SEQUEL
    )
    recommend_anime()
    assert recommended(blame)[0] == ("BLAME! 2", RecommendationReason.RELATION)
    assert get(blame, sequel).detail == RelationType.SEQUEL
    assert get(sequel, blame).detail == RelationType.PREQUEL


def test_fans_come_before_the_fallback_which_tops_up_to_the_shown_count(blame):
    tag = make_tag(name="Mecha")
    blame.tags.set([tag])
    knights = make_anime(title="Knights")
    for n in range(SHOWN + 3):
        make_anime(title=f"Mecha {n}", tags=[tag])
    like(users(5), blame, knights)
    recommend_anime()
    reasons = [reason for _, reason in recommended(blame)]
    assert reasons == [RecommendationReason.LISTERS] + [RecommendationReason.TAGS] * (SHOWN - 1)


# Recomputing


def test_recomputing_with_nothing_new_changes_nothing(blame):
    knights = make_anime(title="Knights")
    like(users(5), blame, knights)
    first = recommend_anime()
    rows = list(Recommendation.objects.order_by("id").values())
    versions = dict(Anime.objects.values_list("id", "page_version"))
    again = recommend_anime()
    assert (first.changed, again.changed) == (2, 0)
    assert list(Recommendation.objects.order_by("id").values()) == rows
    assert dict(Anime.objects.values_list("id", "page_version")) == versions


def test_recomputing_bumps_the_pages_whose_recommendations_changed(blame):
    knights, biomega, other = (make_anime(title=t) for t in ("Knights", "Biomega", "Other"))
    fans = users(5)
    like(fans, blame, knights)
    recommend_anime()
    like(fans, biomega)
    versions = dict(Anime.objects.values_list("id", "page_version"))
    recommend_anime()
    after = dict(Anime.objects.values_list("id", "page_version"))
    assert after[biomega.pk] == versions[biomega.pk] + 1
    assert after[blame.pk] == versions[blame.pk] + 1
    assert after[other.pk] == versions[other.pk]
    assert {title for title, _ in recommended(blame)} == {"Biomega", "Knights"}


def test_recommendations_that_are_gone_are_removed(blame):
    knights = make_anime(title="Knights")
    like(users(5), blame, knights)
    recommend_anime()
    ListEntry.objects.filter(anime=knights).delete()
    recommend_anime()
    assert not Recommendation.objects.exists()


def test_the_command_reports_its_time(blame):
    out = StringIO()
    call_command("recommend_anime", stdout=out)
    assert "Recommendations done:" in out.getvalue()
    assert " s" in out.getvalue()


# Explanations


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        (
            {"reason": RecommendationReason.LISTERS, "shared_listers": 12},
            "12 users who watched BLAME! also watched this",
        ),
        (
            {"reason": RecommendationReason.LISTERS, "shared_listers": 1},
            "1 user who watched BLAME! also watched this",
        ),
        (
            {"reason": RecommendationReason.TAGS, "shared_tags": ["cyberpunk", "dystopia"]},
            "Shares tags: cyberpunk, dystopia",
        ),
        ({"reason": RecommendationReason.STUDIO, "detail": "Madhouse"}, "Same studio: Madhouse"),
        ({"reason": RecommendationReason.RELATION, "detail": "sequel"}, "Sequel"),
        ({"reason": RecommendationReason.RELATION, "detail": "side_story"}, "Side story"),
    ],
)
def test_each_recommendation_says_why(fields, text):
    assert Recommendation(**fields).explanation("BLAME!") == text


# The anime page


@pytest.fixture
def recommending(blame) -> list[Anime]:
    """BLAME! with SHOWN recommendations from its fans."""
    others = [make_anime(title=f"Pick {n}") for n in range(SHOWN)]
    like(users(5), blame, *others)
    recommend_anime()
    return others


def test_the_anime_page_shows_the_recommendations_and_why(client, blame, recommending):
    html = client.get(blame.get_absolute_url()).text
    assert "If you like this anime, you might like…" in html
    assert "5 users who watched BLAME! also watched this" in html
    for other in recommending:
        assert other.get_absolute_url() in html


def test_the_block_is_left_out_when_there_is_nothing_to_recommend(client, blame):
    assert "you might like" not in client.get(blame.get_absolute_url()).text


def test_a_logged_in_reader_sees_which_recommendations_are_on_their_list(
    client, blame, recommending
):
    reader = make_user()
    ListEntry.objects.save_entry(reader, recommending[0], status=Status.WATCHING)
    client.force_login(reader)
    html = client.get(blame.get_absolute_url()).text
    assert html.count("On your list:") == 1
    assert "On your list: Watching" in html


def test_anonymous_pages_carry_no_marks(client, blame, recommending):
    assert "On your list" not in client.get(blame.get_absolute_url()).text


def test_the_block_takes_one_query_however_many_recommendations(client, blame):
    knights = make_anime(title="Knights")
    like(users(5), blame, knights)
    recommend_anime()
    with CaptureQueriesContext(connection) as one:
        client.get(blame.get_absolute_url())
    like(users(5), blame, *[make_anime() for _ in range(SHOWN)])
    recommend_anime()
    with CaptureQueriesContext(connection) as many:
        client.get(blame.get_absolute_url())
    assert len(many.captured_queries) == len(one.captured_queries)


def test_anime_page_queries_with_every_block_present(
    client, blame, recommending, django_assert_max_num_queries
):
    reader = make_user()
    ListEntry.objects.save_entry(reader, blame, status=Status.WATCHED)
    ListEntry.objects.save_entry(reader, recommending[0], status=Status.WATCHING)
    client.force_login(reader)
    # Session, user, the anime, its studios, tags, titles and relations, User Stats, the
    # reader's entry, their own review, the reviews, the custom lists holding it and the
    # reader's own lists, the related manga, characters and staff, then this block: the
    # recommendations and the reader's marks on them.
    with django_assert_max_num_queries(18):
        assert client.get(blame.get_absolute_url()).status_code == 200


# The offline check


HEADER = [
    "Ranking",
    "Title",
    "Type",
    "Japanese",
    "Aired",
    "Episodes",
    "Duration",
    "Score",
    "Source",
    "Genres",
    "Themes",
    "Licensors",
    "Producers",
    "Rating",
    "Status",
    "Studios",
    "Members",
]
GENRES = [f"Genre {letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWX"]


def small_catalog(tmp_path: Path, size: int, genres: int, skew: float) -> Path:
    """A CSV catalog of `size` anime with two genres and one studio each, the n-th popular as
    1 / n ** skew; imported, and returned for seed_demo's figures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for n in range(size):
        pair = dict.fromkeys([GENRES[n % genres], GENRES[(n * 7 + 3) % genres]])
        writer.writerow(
            [
                n + 1,
                f"Show {n}",
                "TV",
                "",
                "Apr 5, 2009 to Jul 4, 2009",
                12,
                "24 min. per ep.",
                f"{6 + n % 4}.5",
                "Manga",
                ",".join(genre * 2 for genre in pair),
                "",
                "",
                "",
                "",
                "Finished Airing",
                f"Studio {n % 20}",
                f"{round(1_000_000 / (n + 1) ** skew):,}",
            ]
        )
    path = tmp_path / "catalog.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    call_command("import_anime", str(path), stdout=StringIO(), stderr=StringIO())
    return path


def test_the_recommender_beats_most_popular_on_a_seeded_community(tmp_path):
    catalog = small_catalog(tmp_path, size=200, genres=12, skew=0.5)
    seed_demo(600, figures_from=catalog, progress=lambda line: None)
    summary = check_recommendations(users=200, seed=1)
    assert summary.users == 200
    assert summary.recommender > summary.popular
    assert summary.beats_popular


def test_the_offline_check_leaves_the_stored_recommendations_alone(blame):
    fans = users(8)
    like(fans, blame, *[make_anime() for _ in range(4)])
    recommend_anime()
    stored = list(Recommendation.objects.order_by("id").values())
    versions = dict(Anime.objects.values_list("id", "page_version"))
    summary = check_recommendations(users=8)
    assert summary.users == 8
    assert summary.held_out == 8  # one of each user's five likes
    assert list(Recommendation.objects.order_by("id").values()) == stored
    assert dict(Anime.objects.values_list("id", "page_version")) == versions


def test_the_evaluation_command_reports_both_hit_rates(blame):
    fans = users(6)
    like(fans, blame, *[make_anime() for _ in range(5)])
    out = StringIO()
    call_command("evaluate_recommendations", "--users", "6", stdout=out)
    assert "hit-rate@10 recommender" in out.getvalue()
    assert "most popular" in out.getvalue()
