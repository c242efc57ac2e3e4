"""`load_demo_catalog`: the shipped 14k list, loaded once and all or nothing."""

from __future__ import annotations

import gzip
import io

import pytest
from django.core.management import call_command

from catalog.importers import loader
from catalog.management.commands import load_demo_catalog
from catalog.models import Anime
from tests.factories import make_anime
from tests.test_import_csv import BLAME, anime_row, csv_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo(tmp_path, monkeypatch):
    path = tmp_path / "demo.csv.gz"
    path.write_bytes(
        gzip.compress(csv_text(BLAME, anime_row("Monster"), anime_row("Mushishi")).encode())
    )
    monkeypatch.setattr(load_demo_catalog, "DEMO_CATALOG", path)
    return path


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo_catalog", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_demo_catalog_is_loaded_into_an_empty_catalog(small_demo):
    out = load_demo()
    assert "Demo catalog loaded: 3 created" in out
    assert Anime.objects.count() == 3


def test_a_second_load_does_nothing(small_demo):
    load_demo()
    ids = set(Anime.objects.values_list("id", flat=True))
    out = load_demo()
    assert out.strip() == "The demo catalog is already loaded (3 anime): nothing to do."
    assert set(Anime.objects.values_list("id", flat=True)) == ids


def test_a_catalog_with_any_anime_is_left_alone(small_demo):
    make_anime(title="Entered By Hand")
    assert "already loaded" in load_demo()
    assert list(Anime.objects.values_list("title", flat=True)) == ["Entered By Hand"]


def test_an_interrupted_load_leaves_nothing_so_the_next_run_retries(small_demo, monkeypatch):
    monkeypatch.setattr(loader, "BATCH_SIZE", 1)  # so that batches are written before the crash
    monkeypatch.setattr(loader.CatalogLoader, "finish", lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        load_demo()
    assert Anime.objects.count() == 0

    monkeypatch.undo()
    monkeypatch.setattr(load_demo_catalog, "DEMO_CATALOG", small_demo)
    load_demo()
    assert Anime.objects.count() == 3


def test_the_shipped_demo_catalog_loads_whole():
    # How long it takes is bench/'s business (README: ~8 s): a timed test fails on a busy machine.
    out = load_demo()
    # 14,000 rows, 40 of them a second scrape of an anime already listed.
    assert (
        "Demo catalog loaded: 13,960 created, 0 updated (0 changed), 40 duplicates merged, 0 skipped, 0 warnings"
        in out
    )
    assert Anime.objects.count() == 13_960
    blame = Anime.objects.get(slug="blame")
    assert (blame.title, blame.kind, blame.episodes, blame.start_year) == ("Blame!", "web", 6, 2003)
    fmab = Anime.objects.get(title="Fullmetal Alchemist: Brotherhood")
    assert (fmab.episodes, fmab.start_season, fmab.end_year) == (64, "spring", 2010)
    assert Anime.objects.get(slug="gintama").start_year == 2006
    assert Anime.objects.get(title="Baguda-jou no Touzoku").start_year == 1926
