"""Writing AnimeRecords to the catalog in bulk, so that a re-run updates rather than duplicates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from itertools import chain, count

from django.db import models, transaction
from django.utils import timezone

from catalog.importers.records import ANIME_FIELDS, AnimeRecord, import_key
from catalog.models import (
    Anime,
    AnimeRelation,
    AnimeSource,
    AnimeTitle,
    Studio,
    Tag,
    TitleKind,
)
from catalog.slugs import unique_slug

BATCH_SIZE = 1000


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0  # anime that were in the catalog before the run and are in the file
    changed: int = 0  # … of which the file changed something
    duplicates: int = 0  # rows naming an anime an earlier row of the same file already named
    skipped: int = 0  # unusable rows, each reported with its line
    warnings: int = 0  # odd values left empty, the row still imported
    relations: int = 0
    unresolved: int = 0  # related-anime URLs of anime the catalog does not have
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.created:,} created, {self.updated:,} updated ({self.changed:,} changed),"
            f" {self.duplicates:,} duplicates merged, {self.skipped:,} skipped,"
            f" {self.warnings:,} warnings, {self.relations:,} relations"
            f" ({self.unresolved:,} related URLs not in the catalog) in {self.seconds:.1f} s"
        )


@dataclass(eq=False)
class Target:
    """One anime this run writes: new (no id until its batch is written), or one the catalog had."""

    record: AnimeRecord | None
    key: str
    anime_id: int | None = None
    sources: set[str] = field(default_factory=set)
    related: list[str] = field(default_factory=list)


class CatalogLoader:
    """Matches records to anime and writes them a batch (one transaction) at a time.

    A record is the anime an earlier record of this run named when it shares one of its source
    URLs or, in the CSV, its title, type and Aired (the list has rows scraped twice); the later
    record wins. Otherwise it is the anime of the catalog with one of its source URLs, else the
    one with its import key (adopting an anime entered by hand whose title, kind and year give
    that key), else a new anime. Two different anime of one file can share a key ("Bokutachi wa
    Benkyou ga Dekinai" and "…Dekinai!", both TV 2019): the later one's key is qualified by its
    season, then by a number, which a re-run of the same file repeats.
    """

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.keys = dict(
            Anime.objects.filter(import_key__isnull=False).values_list("import_key", "id")
        )
        self.key_of = {anime_id: key for key, anime_id in self.keys.items()}
        self.adoptable: dict[str, int] = {}
        for anime_id, title, kind, year in Anime.objects.filter(
            import_key__isnull=True
        ).values_list("id", "title", "kind", "start_year"):
            key = import_key(title, kind, year)
            self.adoptable.setdefault(key, anime_id)
            self.key_of[anime_id] = key
        self.slugs = set(Anime.objects.values_list("slug", flat=True))
        self.source_ids = dict(AnimeSource.objects.values_list("url", "anime_id"))
        self.studios = NameIndex(Studio)
        self.tags = NameIndex(Tag)
        self.claimed: set[str] = set()  # import keys this run has given an anime
        self.by_identity: dict[Hashable, Target] = {}
        self.by_source: dict[str, Target] = {}
        self.by_anime: dict[int, Target] = {}
        self.existed: set[int] = set()  # anime of the run that were in the catalog before it
        self.changed: set[int] = set()
        self.batch: dict[Target, None] = {}  # an ordered set

    def add(self, record: AnimeRecord) -> None:
        target = self._met_before(record)
        if target:
            self.summary.duplicates += 1
        else:
            if len(self.batch) >= BATCH_SIZE:
                self.flush()
            target = self._target(record)
        target.record = record
        target.sources.update(record.sources)
        target.related = record.related
        for url in record.sources:
            self.by_source.setdefault(url, target)
        if record.identity is not None:
            self.by_identity[record.identity] = target
        self.batch[target] = None

    def _met_before(self, record: AnimeRecord) -> Target | None:
        for url in record.sources:
            target = self.by_source.get(url) or self.by_anime.get(self.source_ids.get(url))
            if target:
                return target
        return self.by_identity.get(record.identity) if record.identity is not None else None

    def _target(self, record: AnimeRecord) -> Target:
        anime_id = next(
            (self.source_ids[url] for url in record.sources if url in self.source_ids), None
        )
        if anime_id is not None and anime_id in self.key_of:
            # Found by URL: it keeps its own key, which no other record of the run may take.
            key = self.key_of[anime_id]
        else:
            key = self._free_key(record)
            if anime_id is None:
                anime_id = self.keys.get(key) or self.adoptable.get(key)
        self.claimed.add(key)
        target = Target(record=record, key=key, anime_id=anime_id)
        if anime_id is not None:
            self.by_anime[anime_id] = target
            self.existed.add(anime_id)
            self.summary.updated += 1
        return target

    def _free_key(self, record: AnimeRecord) -> str:
        base = record.key
        qualified = [f"{base}|{record.start_season}"] if record.start_season else []
        candidates = chain([base], qualified, (f"{base}|{n}" for n in count(2)))
        return next(key for key in candidates if key not in self.claimed)

    def flush(self) -> None:
        """Write the batch: new anime, changed fields, and the studio, tag and title sets."""
        targets = list(self.batch)
        self.batch.clear()
        existing = [target for target in targets if target.anime_id is not None]
        with transaction.atomic():
            self._create([target for target in targets if target.anime_id is None])
            self._update(existing)
            self._write_links(targets, [target.anime_id for target in existing])
        for target in targets:
            target.record = None  # written; the run keeps only what matching needs

    def _create(self, targets: list[Target]) -> None:
        # The anime that keeps its title's bare slug is the one whose title loses least to the
        # slug, then the oldest: "Gintama" gets /anime/gintama/, "Gintama°" /anime/gintama-2015/.
        targets.sort(key=lambda target: slug_claim(target.record))
        new = []
        for target in targets:
            anime = Anime(**target.record.anime_fields(), import_key=target.key)
            anime.slug = unique_slug(
                Anime, anime.title, fallbacks=anime.slug_fallbacks(), taken=self.slugs
            )
            self.slugs.add(anime.slug)
            new.append(anime)
        Anime.objects.bulk_create(new)
        for target, anime in zip(targets, new, strict=True):
            target.anime_id = anime.id
            self.by_anime[anime.id] = target
            self.keys[target.key] = anime.id
        self.summary.created += len(new)

    def _update(self, targets: list[Target]) -> None:
        """Set what the file says, writing only the fields that differ from the catalog."""
        current = Anime.objects.only(*ANIME_FIELDS, "import_key").in_bulk(
            [target.anime_id for target in targets]
        )
        now = timezone.now()
        for target in targets:
            anime = current[target.anime_id]
            changes = {
                name: value
                for name, value in target.record.anime_fields().items()
                if getattr(anime, name) != value
            }
            if anime.import_key is None and target.key not in self.keys:
                changes["import_key"] = target.key
                self.keys[target.key] = anime.id
            # One UPDATE per changed anime: bulk_update's CASE per field and row costs far more
            # in Django than these, and a re-run that changes nothing sends none.
            if changes:
                Anime.objects.filter(id=anime.id).update(**changes, updated_at=now)
                self.changed.add(anime.id)

    def _write_links(self, targets: list[Target], existing_ids: list[int]) -> None:
        records = {target.anime_id: target.record for target in targets}
        self.studios.ensure({name: {} for r in records.values() for name in r.studios})
        self.tags.ensure(
            {name: {"category": cat} for r in records.values() for name, cat in r.tags.items()}
        )
        titles = {i: set(r.titles.items()) for i, r in records.items()}
        # anime-offline-database calls every other title a synonym; that must not demote the
        # Japanese or English title another file gave.
        for anime_id, title, kind in (
            AnimeTitle.objects.filter(anime_id__in=existing_ids)
            .exclude(kind=TitleKind.SYNONYM)
            .values_list("anime_id", "title", "kind")
        ):
            if (title, TitleKind.SYNONYM) in titles[anime_id]:
                titles[anime_id] ^= {(title, TitleKind.SYNONYM), (title, kind)}
        for model, columns, wanted in (
            (
                Anime.studios.through,
                ("studio_id",),
                {i: {(self.studios.id(name),) for name in r.studios} for i, r in records.items()},
            ),
            (
                Anime.tags.through,
                ("tag_id",),
                {i: {(self.tags.id(name),) for name in r.tags} for i, r in records.items()},
            ),
            (AnimeTitle, ("title", "kind"), titles),
        ):
            self.changed.update(sync_rows(model, columns, wanted, existing_ids))
        new_sources = [
            AnimeSource(anime_id=target.anime_id, url=url)
            for target in targets
            for url in target.sources
            if url not in self.source_ids
        ]
        AnimeSource.objects.bulk_create(new_sources, ignore_conflicts=True)
        self.source_ids.update((source.url, source.anime_id) for source in new_sources)

    def finish(self) -> None:
        """Write the last batch, then the relations, which may point anywhere in the file."""
        self.flush()
        pairs = set()
        for target in self.by_anime.values():
            for url in target.related:
                to_id = self.source_ids.get(url)
                if to_id is None:
                    self.summary.unresolved += 1
                elif to_id != target.anime_id:
                    pairs.add((target.anime_id, to_id))
        with transaction.atomic():
            AnimeRelation.objects.bulk_create(
                [AnimeRelation(from_anime_id=a, to_anime_id=b) for a, b in sorted(pairs)],
                ignore_conflicts=True,
                batch_size=5000,
            )
        self.summary.relations = len(pairs)
        self.summary.changed = len(self.changed & self.existed)


def slug_claim(record: AnimeRecord) -> tuple[int, int]:
    """Sort key: characters the slug drops from the title, then the year (unknown last)."""
    dropped = sum(
        not (char.isascii() and char.isalnum()) and char not in " -" for char in record.title
    )
    return dropped, record.start_year or 9999


def sync_rows(
    model: type[models.Model],
    columns: tuple[str, ...],
    wanted: dict[int, set[tuple]],
    existing_ids: list[int],
) -> set[int]:
    """Make each anime's rows of `model` hold exactly `wanted[anime_id]`; returns the anime changed.

    Only `existing_ids` can have rows already; rows that stay are not touched, so a re-run of
    the same file writes nothing.
    """
    current: dict[int, dict[tuple, int]] = defaultdict(dict)  # anime → its rows' values → row id
    for row_id, anime_id, *values in model.objects.filter(anime_id__in=existing_ids).values_list(
        "id", "anime_id", *columns
    ):
        current[anime_id][tuple(values)] = row_id
    stale = [
        row_id
        for anime_id, rows in current.items()
        for values, row_id in rows.items()
        if values not in wanted[anime_id]
    ]
    missing = [
        model(anime_id=anime_id, **dict(zip(columns, values, strict=True)))
        for anime_id, values_set in wanted.items()
        for values in values_set
        if values not in current.get(anime_id, ())
    ]
    changed = {
        anime_id for anime_id in existing_ids if set(current.get(anime_id, ())) != wanted[anime_id]
    }
    model.objects.filter(id__in=stale).delete()
    model.objects.bulk_create(missing, ignore_conflicts=True)
    return changed


class NameIndex:
    """Studios or tags by case-insensitive name, the way their unique constraints compare them."""

    def __init__(self, model: type[Studio] | type[Tag]) -> None:
        self.model = model
        self.ids = {
            name.lower(): row_id for row_id, name in model.objects.values_list("id", "name")
        }
        self.slugs = set(model.objects.values_list("slug", flat=True))

    def id(self, name: str) -> int:
        return self.ids[name.lower()]

    def ensure(self, names: dict[str, dict]) -> None:
        """Create the names not yet known, with the given extra fields."""
        new = {}
        for name, extra in names.items():
            lower = name.lower()
            if lower in self.ids or lower in new:
                continue
            row = self.model(name=name, **extra)
            row.slug = unique_slug(self.model, name, taken=self.slugs)
            self.slugs.add(row.slug)
            new[lower] = row
        self.model.objects.bulk_create(new.values())
        self.ids.update((lower, row.id) for lower, row in new.items())
