"""Title search on real titles: ranking, and tolerance of case, accents, punctuation, word order
and typos. The catalog is imported from real rows of the demo catalog (anime-list-14k.csv)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from catalog import search
from catalog.models import Anime, AnimeTitle, TitleKind
from catalog.search import best_matches
from tests.factories import make_anime

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:anime-list")

# Real rows of anime-list-14k.csv, as they stand (Kämpfer is one of the titles listed twice).
REAL_ROWS = """\
Ranking,Title,Type,Japanese,Aired,Episodes,Duration,Score,Source,Genres,Themes,Licensors,Producers,Rating,Status,Studios,Members
1,Fullmetal Alchemist: Brotherhood,TV,鋼の錬金術師 FULLMETAL ALCHEMIST,"Apr 5, 2009 to Jul 4, 2010",64,24 min. per ep.,9.14,Manga,"ActionAction,AdventureAdventure,DramaDrama,FantasyFantasy",MilitaryMilitary,Funimation,"Aniplex,Square Enix,Mainichi Broadcasting System,Studio Moriken",R - 17+ (violence & profanity),Finished Airing,Bones,"2,893,578"
3,Steins Gate,TV,STEINS GATE,"Apr 6, 2011 to Sep 14, 2011",24,24 min. per ep.,9.08,Visual novel,"DramaDrama,Sci-FiSci-Fi,SuspenseSuspense","PsychologicalPsychological,Time TravelTime Travel",Funimation,"Frontier Works,Media Factory,Movic,AT-X,Kadokawa Pictures Japan,Nitroplus",PG-13 - Teens 13 or older,Finished Airing,White Fox,"2,245,494"
37,Cowboy Bebop,TV,カウボーイビバップ,"Apr 3, 1998 to Apr 24, 1999",26,24 min. per ep.,8.76,Original,"ActionAction,Sci-FiSci-Fi","Adult CastAdult Cast,SpaceSpace",Funimation,Bandai Visual,R - 17+ (violence & profanity),Finished Airing,Sunrise,"1,619,496"
102,Shingeki no Kyojin,TV,進撃の巨人,"Apr 7, 2013 to Sep 29, 2013",25,24 min. per ep.,8.53,Manga,"ActionAction,DramaDrama","GoreGore,MilitaryMilitary,SurvivalSurvival",Funimation,"Production I.G,Dentsu,Mainichi Broadcasting System,Pony Canyon,Kodansha,Mad Box,Pony Canyon Enterprise",R - 17+ (violence & profanity),Finished Airing,Wit Studio,"3,433,824"
110,SteinsGate 0,TV,シュタインズ・ゲート ゼロ,"Apr 12, 2018 to Sep 27, 2018",23,23 min. per ep.,8.52,Visual novel,"DramaDrama,Sci-FiSci-Fi,SuspenseSuspense",Time TravelTime Travel,Funimation,"Frontier Works,Media Factory,Kadokawa Shoten,Movic",PG-13 - Teens 13 or older,Finished Airing,White Fox,"762,219"
416,Fullmetal Alchemist,TV,鋼の錬金術師,"Oct 4, 2003 to Oct 2, 2004",51,24 min. per ep.,8.12,Manga,"ActionAction,AdventureAdventure,DramaDrama,FantasyFantasy",MilitaryMilitary,Funimation,"Aniplex,Dentsu,Square Enix,Mainichi Broadcasting System",R - 17+ (violence & profanity),Finished Airing,Bones,"1,353,236"
2200,Pokemon,TV,ポケットモンスター,"Apr 1, 1997 to Nov 14, 2002",276,24 min. per ep.,7.36,Game,"ActionAction,AdventureAdventure,ComedyComedy,FantasyFantasy",None,VIZ Media,"TV Tokyo,TV Tokyo Music,Studio Jack",PG - Children,Finished Airing,OLM,"568,286"
2312,Pokemon XY,TV,ポケットモンスターXY,"Oct 17, 2013 to Oct 22, 2015",93,23 min. per ep.,7.33,Game,"ActionAction,AdventureAdventure,ComedyComedy,FantasyFantasy",None,The Pokemon Company International,TV Tokyo,PG - Children,Finished Airing,OLM,"145,982"
3717,Blame! Movie,Movie,BLAME!,20-May-17,1,1 hr. 45 min.,7.05,Manga,"ActionAction,DramaDrama,Sci-FiSci-Fi","MechaMecha,PsychologicalPsychological",VIZ Media,"Starchild Records,Kodansha,KlockWorx,Glovision",PG-13 - Teens 13 or older,Finished Airing,Polygon Pictures,"96,212"
7042,Kämpfer,TV,けんぷファー,"Oct 2, 2009 to Dec 18, 2009",12,24 min. per ep.,6.39,Light novel,"ActionAction,ComedyComedy,Girls LoveGirls Love,RomanceRomance,EcchiEcchi","Magical Sex ShiftMagical Sex Shift,SchoolSchool,Super PowerSuper Power",Sentai Filmworks,"TBS,RAY",PG-13 - Teens 13 or older,Finished Airing,Nomad,"265,380"
7051,Kämpfer,TV,けんぷファー,"Oct 2, 2009 to Dec 18, 2009",12,24 min. per ep.,6.39,Light novel,"ActionAction,ComedyComedy,Girls LoveGirls Love,RomanceRomance,EcchiEcchi","Magical Sex ShiftMagical Sex Shift,SchoolSchool,Super PowerSuper Power",Sentai Filmworks,"TBS,RAY",PG-13 - Teens 13 or older,Finished Airing,Nomad,"265,721"
9433,Blame!,ONA,BLAME (ブラム!),24-Oct-03,6,6 min. per ep.,5.91,Manga,Sci-FiSci-Fi,MechaMecha,Media Blasters,"None found,add some",R+ - Mild Nudity,Finished Airing,Group TAC,"28,947"
11263,Blame! Prologue,OVA,BLAME! (2007),7-Sep-07,2,4 min. per ep.,5.39,Manga,"ActionAction,Sci-FiSci-Fi",MechaMecha,add some,"None found,add some",PG-13 - Teens 13 or older,Finished Airing,Production I.G,"9,768"
"""


@pytest.fixture
def real_catalog(tmp_path: Path) -> None:
    path = tmp_path / "anime.csv"
    path.write_text(REAL_ROWS, encoding="utf-8")
    call_command("import_anime", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    # Popularity as the site will have it once lists exist: the anime on most lists first.
    members = {
        row["Title"]: int(row["Members"].replace(",", ""))
        for row in csv.DictReader(io.StringIO(REAL_ROWS))
    }
    for n, title in enumerate(sorted(members, key=members.get, reverse=True), start=1):
        Anime.objects.filter(title=title).update(popularity=n)


def found(client, q: str) -> list[str]:
    response = client.get(LIST_URL, {"q": q})
    assert response.status_code == 200
    return [anime.title for anime in response.context["page"]]


# Tolerance: case, punctuation, accents, word order, typos, other scripts and names


@pytest.mark.parametrize("q", ["blame", "Blame!", "BLAME", "blam"])
def test_search_finds_blame_first_whatever_the_case_and_punctuation(client, real_catalog, q):
    assert found(client, q)[0] == "Blame!"


@pytest.mark.parametrize("q", ["blame", "blam"])
def test_search_finds_the_other_blame_anime_after_it(client, real_catalog, q):
    assert set(found(client, q)[:3]) == {"Blame!", "Blame! Movie", "Blame! Prologue"}


def test_search_reads_a_semicolon_as_a_space(client, real_catalog):
    assert found(client, "Steins;Gate")[0] == "Steins Gate"


def test_search_ignores_accents_in_the_query(client, real_catalog):
    assert found(client, "pokémon")[0] == "Pokemon"


def test_search_ignores_accents_in_the_title(client, real_catalog):
    assert found(client, "kampfer") == ["Kämpfer"]


def test_search_ignores_word_order(client, real_catalog):
    assert found(client, "gate steins")[0] == "Steins Gate"


def test_search_tolerates_a_typo(client, real_catalog):
    assert found(client, "fullmetal alchemst")[0] == "Fullmetal Alchemist"


def test_search_finds_an_anime_by_its_japanese_title(client, real_catalog):
    assert found(client, "進撃の巨人") == ["Shingeki no Kyojin"]


def test_search_finds_an_anime_by_a_synonym(client, real_catalog):
    titan = Anime.objects.get(title="Shingeki no Kyojin")
    AnimeTitle.objects.create(anime=titan, title="Attack on Titan", kind=TitleKind.SYNONYM)
    assert found(client, "Attack on Titan") == ["Shingeki no Kyojin"]


def test_search_lists_an_anime_matching_through_two_titles_once(client, real_catalog):
    # Blame! matches as "Blame!" and as its Japanese title "BLAME (ブラム!)".
    titles = found(client, "blame")
    assert titles.count("Blame!") == 1
    assert len(titles) == len(set(titles))


def test_search_says_when_nothing_matches(client, real_catalog):
    response = client.get(LIST_URL, {"q": "xyzzy"})
    assert list(response.context["page"]) == []
    assert "No anime match “xyzzy”" in response.text


def test_search_leaves_out_titles_that_are_not_close(client, real_catalog):
    assert "Cowboy Bebop" not in found(client, "pokemon")


# Ranking


def test_search_ranks_exact_above_prefix_above_similar_whatever_the_popularity(client):
    make_anime(title="Boruto: Naruto Next Generations", popularity=1)
    make_anime(title="Naruto: Shippuuden", popularity=2)
    make_anime(title="Naruto", popularity=3)
    assert found(client, "naruto") == [
        "Naruto",
        "Naruto: Shippuuden",
        "Boruto: Naruto Next Generations",
    ]


def test_search_ranks_the_exact_title_and_prefixes_first_when_too_many_titles_are_similar(
    client, monkeypatch
):
    monkeypatch.setattr(search, "FUZZY_NAMES", 2)
    for n in range(6):
        make_anime(title=f"Kaze to Shin {n}", popularity=n + 1)
    make_anime(title="Shin Sekai", popularity=90)
    make_anime(title="Shin", popularity=99)
    assert found(client, "shin")[:2] == ["Shin", "Shin Sekai"]


def test_search_keeps_the_most_popular_titles_starting_with_the_query(db, monkeypatch):
    monkeypatch.setattr(search, "FUZZY_NAMES", 1)
    monkeypatch.setattr(search, "PREFIX_NAMES", 2)
    popular = [make_anime(title=f"Shoujo {n}", popularity=n).pk for n in (1, 2)]
    make_anime(title="Shoujo 3", popularity=3)
    assert set(popular) <= set(best_matches("shoujo"))


def test_search_scores_the_popular_anime_similar_to_the_query_past_the_cap(db, monkeypatch):
    monkeypatch.setattr(search, "FUZZY_NAMES", 1)
    for n in range(1, 4):
        make_anime(title=f"Shin Kidou Senki Gundam W {n}", popularity=search.POPULAR_ANIME + n)
    popular = make_anime(title="Kidou Senshi Gundam", popularity=1)
    assert popular.pk in best_matches("gundam")


def test_search_finds_the_exact_title_however_many_more_popular_ones_start_with_it(db, monkeypatch):
    monkeypatch.setattr(search, "PREFIX_NAMES", 2)
    for n in range(1, 4):
        make_anime(title=f"Shin Sekai {n}", popularity=n)
    exact = make_anime(title="Shin", popularity=99)
    assert best_matches("shin", limit=2)[0] == exact.pk


def test_search_finds_the_closest_title_starting_with_it_however_unpopular(db, monkeypatch):
    monkeypatch.setattr(search, "PREFIX_NAMES", 2)
    for n in range(1, 4):
        make_anime(title=f"Mobile Suit Gundam Side Story {n}", popularity=n)
    closest = make_anime(title="Mobile Suit Gundam", popularity=99)
    assert best_matches("mobile suit gund")[0] == closest.pk


def test_a_two_letter_search_keeps_the_most_popular_titles_starting_with_it(db, monkeypatch):
    monkeypatch.setattr(search, "PREFIX_NAMES", 2)
    make_anime(title="Shoujo 3", popularity=3)
    popular = [make_anime(title=f"Shoujo {n}", popularity=n).pk for n in (1, 2)]
    assert set(best_matches("sh")) == set(popular)


def test_a_two_letter_search_finds_the_titles_that_start_with_it(db):
    starting = make_anime(title="Shokugeki no Souma", popularity=2)
    make_anime(title="Kaze no Shoujo", popularity=1)
    assert best_matches("sh") == [starting.pk]


def test_a_two_letter_search_ranks_by_popularity(db):
    shorter = make_anime(title="Shiki", popularity=9)
    more_popular = make_anime(title="Shokugeki no Souma: Gou no Sara", popularity=1)
    assert best_matches("sh") == [more_popular.pk, shorter.pk]


def test_a_two_letter_search_puts_an_equal_title_first(db):
    make_anime(title="Shokugeki no Souma", popularity=1)
    equal = make_anime(title="SH!", popularity=9)
    assert best_matches("sh")[0] == equal.pk


def test_a_two_letter_search_ranks_alternative_titles_by_their_anime_popularity(db):
    make_anime(title="Shiki", popularity=5)
    known_by_another_title = make_anime(title="Attack on Titan", popularity=1)
    AnimeTitle.objects.create(
        anime=known_by_another_title, title="Shingeki no Kyojin", kind=TitleKind.SYNONYM
    )
    assert best_matches("sh")[0] == known_by_another_title.pk


def test_search_for_only_punctuation_finds_nothing(db):
    make_anime(title="Blame!")
    assert best_matches("!!! ?") == []


def test_search_puts_the_more_popular_of_equal_matches_first(client):
    make_anime(title="Hunter x Hunter", start_year=1999, popularity=50)
    newer = make_anime(title="Hunter x Hunter", start_year=2011, popularity=10)
    response = client.get(LIST_URL, {"q": "hunter x hunter"})
    assert list(response.context["page"])[0] == newer


def test_search_puts_an_anime_with_a_popularity_before_one_without(client):
    make_anime(title="Monster", start_year=1990)
    known = make_anime(title="Monster", start_year=2004, popularity=99)
    response = client.get(LIST_URL, {"q": "monster"})
    assert list(response.context["page"])[0] == known


def test_search_ranks_the_closer_of_two_prefix_matches_first(client, real_catalog):
    assert found(client, "pokemo")[:2] == ["Pokemon", "Pokemon XY"]


def test_search_puts_an_own_title_before_an_equal_alternative_title(client):
    # Blame! Movie's Japanese title is "BLAME!", and the movie is the more popular of the two.
    make_anime(title="Blame!", popularity=2)
    movie = make_anime(title="Blame! Movie", popularity=1)
    AnimeTitle.objects.create(anime=movie, title="BLAME!", kind=TitleKind.JAPANESE)
    assert found(client, "Blame!") == ["Blame!", "Blame! Movie"]


def test_search_leaves_the_planner_settings_of_the_transaction_as_they_were(db):
    make_anime(title="Mobile Suit Gundam")
    with connection.cursor() as cursor:
        assert best_matches("gundam")
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() != ("0",)


def test_search_pages_follow_the_ranking(client):
    for n in range(60):
        make_anime(title=f"Gundam {n}", popularity=n + 1)
    ranked = best_matches("gundam")
    response = client.get(LIST_URL, {"q": "gundam", "page": 2})
    assert [anime.pk for anime in response.context["page"]] == ranked[50:60]


def test_search_results_leave_out_an_anime_deleted_since_the_ranking(db):
    kept = make_anime(title="Gundam", popularity=1)
    gone = make_anime(title="Gundam X", popularity=2)
    results = Anime.objects.search_results("gundam")
    gone.delete()
    assert (len(results), results[:]) == (2, [kept])


@pytest.mark.parametrize(
    ("matches", "count"),
    [(3, "2+ anime"), (2, "2 anime")],
    ids=["more than it ranks", "as many as it ranks"],
)
def test_a_search_says_when_more_anime_matched_than_it_ranks(client, monkeypatch, matches, count):
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 2)
    for n in range(matches):
        make_anime(title=f"Gundam {n}", popularity=n + 1)
    html = client.get(LIST_URL, {"q": "gundam"}).content.decode()
    shown = re.search(r'id="results-count"[^>]*>(.*?)</p>', html, re.DOTALL)[1]
    assert " ".join(shown.split()) == count


def test_a_search_with_more_similar_titles_than_it_scores_says_so(client, monkeypatch):
    monkeypatch.setattr(search, "FUZZY_NAMES", 2)
    for n in range(4):
        make_anime(title=f"Kidou Senshi Gundam {n}", popularity=search.POPULAR_ANIME + n + 1)
    html = client.get(LIST_URL, {"q": "gundam"}).content.decode()
    shown = re.search(r'id="results-count"[^>]*>(.*?)</p>', html, re.DOTALL)[1]
    assert " ".join(shown.split()).endswith("+ anime")


def test_best_matches_says_when_a_fuzzy_branch_was_cut(db, monkeypatch):
    monkeypatch.setattr(search, "FUZZY_NAMES", 2)
    for n in range(3):
        make_anime(title=f"Kidou Senshi Gundam {n}", popularity=search.POPULAR_ANIME + n + 1)
    make_anime(title="Cowboy Bebop", popularity=search.POPULAR_ANIME + 9)
    assert best_matches("gundam").cut
    assert not best_matches("cowboy bebop").cut
