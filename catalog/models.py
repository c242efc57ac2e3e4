"""The catalog: anime, their titles, studios, tags and relations.

Unknown values are NULL, never a fake zero: an anime whose episode count nobody knows has
`episodes = NULL`, and the page says "?". The rating aggregates (average, votes, rank, popularity)
are stored here and kept up to date by the apps that own ratings and lists.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Collate, Left, Lower
from django.urls import reverse

from catalog import lookups  # noqa: F401  (registers id__any)
from catalog.cover_files import CoverField, KeepsCoverFiles
from catalog.covers import COVER_WIDTHS
from catalog.ordering import in_choice_order
from catalog.pagination import RowsById
from catalog.search import POPULAR_ANIME, SearchName, SearchResults, best_matches
from catalog.slugs import unique_slug

MAX_TITLE_LENGTH = 500


class Kind(models.TextChoices):
    TV = "tv", "TV"
    MOVIE = "movie", "Movie"
    OVA = "ova", "OVA"
    WEB = "web", "Web"
    SPECIAL = "special", "Special"
    MUSIC = "music", "Music Video"


# A plain dict: get_kind_display() costs ~5 µs, and a catalog page shows 50 kinds.
KIND_LABELS = dict(Kind.choices)


class AiringStatus(models.TextChoices):
    FINISHED = "finished", "Finished"
    AIRING = "airing", "Currently airing"
    UPCOMING = "upcoming", "Not yet aired"


class Season(models.TextChoices):
    # Ordered as the calendar runs, so sorting by (year, season) sorts by time.
    WINTER = "winter", "Winter"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"
    FALL = "fall", "Fall"

    @classmethod
    def of_month(cls, month: int) -> Season:
        return [cls.WINTER, cls.SPRING, cls.SUMMER, cls.FALL][(month - 1) // 3]


class TagCategory(models.TextChoices):
    GENRE = "genre", "Genre"
    THEME = "theme", "Theme"
    TAG = "tag", "Tag"


class TitleKind(models.TextChoices):
    JAPANESE = "japanese", "Japanese"
    ENGLISH = "english", "English"
    SYNONYM = "synonym", "Synonym"


class RelationType(models.TextChoices):
    SEQUEL = "sequel", "Sequel"
    PREQUEL = "prequel", "Prequel"
    SIDE_STORY = "side_story", "Side story"
    PARENT_STORY = "parent_story", "Parent story"
    ALTERNATIVE = "alternative", "Alternative version"
    SPIN_OFF = "spin_off", "Spin-off"
    SUMMARY = "summary", "Summary"
    ADAPTATION = "adaptation", "Adaptation"
    OTHER = "other", "Other"


class CatalogVersion(models.Model):
    """One number that moves with every change the catalog's list pages show (titles, studios,
    tags, ranks): the version their cached copies are filed under (catalog.page_cache)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="catalog_version_single_row")]

    def __str__(self) -> str:
        return f"Catalog version {self.version}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(id=1).values_list("version", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        """In the transaction of the change, so no reader sees the new number before the data."""
        updated = cls.objects.filter(id=1).update(version=F("version") + 1)
        if not updated:
            cls.objects.bulk_create([cls(id=1, version=1)], ignore_conflicts=True)


class ShownInCatalogQuerySet(models.QuerySet):
    """Rows the catalog's pages show. A bulk delete (the admin's "delete selected", which calls
    no model's delete()) moves the catalog's version and marks the pages of the anime that
    showed them changed, in its transaction."""

    def anime_showing(self) -> AnimeQuerySet | None:
        """The anime whose own pages show these rows (None: only the listings do)."""
        return None

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            # Before the rows go: then nothing tells which anime showed them.
            if (anime := self.anime_showing()) is not None:
                anime.page_changed()
            deleted = super().delete()
            CatalogVersion.bump()
        return deleted

    # As QuerySet.delete(): not on the manager (Studio.objects.delete() would empty the table).
    delete.alters_data = True
    delete.queryset_only = True


class AnimeLabelQuerySet(ShownInCatalogQuerySet):
    def anime_showing(self) -> AnimeQuerySet:
        return Anime.objects.filter(**{f"{self.model.anime_link}__in": self})


class AnimeLabel(models.Model):
    """A name the listings and anime pages show beside the anime it labels: a studio, a tag.

    Saving or deleting one changes those pages, in its own transaction: the catalog's version
    (listings) and the pages of the anime it labels.
    """

    # The Anime field that links to it.
    anime_link: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(type(self), self.name)
        shown = not self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if shown:
                self.labelled_anime().page_changed()
            CatalogVersion.bump()

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            # Before the links go.
            self.labelled_anime().page_changed()
            deleted = super().delete(*args, **kwargs)
            CatalogVersion.bump()
        return deleted

    def labelled_anime(self) -> AnimeQuerySet:
        return Anime.objects.filter(**{self.anime_link: self})


class Studio(AnimeLabel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)

    objects = AnimeLabelQuerySet.as_manager()
    anime_link = "studios"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="studio_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class TagQuerySet(AnimeLabelQuerySet):
    def for_filters(self) -> TagQuerySet:
        """The tags the catalog's filter form offers: genres and themes, not free-form tags."""
        return self.filter(category__in=[TagCategory.GENRE, TagCategory.THEME]).order_by(
            "category", "name"
        )


class Tag(AnimeLabel):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.CharField(max_length=10, choices=TagCategory, default=TagCategory.TAG)

    objects = TagQuerySet.as_manager()
    anime_link = "tags"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(category__in=TagCategory.values), name="tag_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The filters the catalog's sort-order indexes hold besides their keys.
SORT_INDEX_INCLUDES = ["kind", "airing_status", "start_year", "start_season"]

# Columns a listing row never shows: each value costs the page time to send and to read.
NOT_IN_LISTS = (
    "synopsis",
    "source_material",
    "age_rating",
    "average_rating",
    "votes",
    "members",
    "search_name",
    "import_key",
    "created_at",
)


class AnimeQuerySet(models.QuerySet):
    def for_detail_page(self) -> AnimeQuerySet:
        """Everything the anime page shows, in a fixed number of queries."""
        return self.prefetch_related(
            "studios",
            models.Prefetch("tags", queryset=Tag.objects.order_by("category", "name")),
            models.Prefetch("titles", queryset=AnimeTitle.objects.order_by("kind", "title")),
            models.Prefetch(
                "relations_from",
                queryset=AnimeRelation.objects.select_related("to_anime").order_by(
                    # Sequel first, "other" last.
                    in_choice_order("relation_type", RelationType),
                    "to_anime__start_year",
                    "to_anime__title",
                ),
            ),
        )

    def for_list(self) -> AnimeQuerySet:
        """What a row of a catalog listing shows (not NOT_IN_LISTS); `studio_names` in the same
        query (a subquery run for the rows of the page only)."""
        studio_names = ArraySubquery(
            Studio.objects.filter(anime=OuterRef("pk")).order_by("name").values("name")
        )
        return self.defer(*NOT_IN_LISTS).annotate(studio_names=studio_names)

    def search(self, text: str) -> AnimeQuerySet:
        """Anime whose title or an alternative title matches `text`, annotated with
        `relevance`: 1 for the best match (see `best_matches`), then 2, 3…

        It runs one query at once (best_matches), so that the page and its count fetch a
        short list of rows by primary key instead of scoring every candidate twice.
        """
        ranked = best_matches(text)
        return self.filter(pk__any=ranked).annotate(
            relevance=models.Func(
                Value(ranked, output_field=ArrayField(models.BigIntegerField())),
                F("pk"),
                function="array_position",
                output_field=models.IntegerField(),
            )
        )

    def search_results(self, text: str, limit: int | None = None) -> SearchResults:
        """These anime matching `text`, best first (see `best_matches`), for a paginator or a
        slice: cheaper than `search()` when no other filter or order applies."""
        return SearchResults.of(text, self, limit)

    def count_cheaply(self, **filters: Any) -> int | None:
        """How many anime `filtered(**filters)` finds, when that is cheaper to learn than by
        counting them; None otherwise.

        Kinds, statuses and tags (with or without) are counted from their id sets
        (AnimeIdSet), a studio alone from its links, through their index, without joining the
        catalog to them: every link is to an anime, so the numbers agree.
        """
        given = {name: value for name, value in filters.items() if value}
        if given.keys() & {"kind", "status", "tag"} and given.keys() <= ID_SET_FILTERS:
            return AnimeIdSet.objects.count_anime(**given)
        if given.keys() == {"studio"}:
            return Anime.studios.through.objects.filter(studio=given["studio"]).count()
        return None

    def ids_first_pays(self, **filters: Any) -> bool:
        """Whether a page of `filtered(**filters)` is cheaper read as its ids, then its rows.

        Filtered, a page walks its sort order's index past every anime the filters leave out:
        9,000 before the first 50 finished TV series by year, 9,800 before the first 50 movies
        of 2015 by rank, 1,600 before Toei Animation's first 50, at 100,000 anime. The index
        holds the kind, status and start, and a tag or studio is looked up in its links' index,
        so the walk reads no table row but the page's. A search has its own order.
        """
        given = {name for name, value in filters.items() if value}
        return bool(given) and "q" not in given

    def page_changed(self) -> int:
        """Mark these anime's pages as changed: their cached copies are no longer served.

        Call it in the transaction of the change, so no reader sees the new version number
        before the new data.
        """
        return self.update(page_version=F("page_version") + 1)

    def ranked_first(self) -> AnimeQuerySet:
        """Ranked anime by rank, then the unranked by popularity and title."""
        return self.sorted_by("rank")

    def sorted_by(self, sort: str) -> AnimeQuerySet:
        """One of the catalog's sort orders (SORT_ORDERS), each served by an index."""
        return self.order_by(*SORT_ORDERS[sort])

    def filtered(
        self,
        *,
        q: str = "",
        kind: list[str] = (),
        status: list[str] = (),
        year: int | None = None,
        season: str | None = None,
        tag: list[Tag] = (),
        notag: list[Tag] = (),
        studio: Studio | None = None,
        episodes_min: int | None = None,
        episodes_max: int | None = None,
    ) -> AnimeQuerySet:
        """The catalog's filters, combined: every one given must hold (all tags of `tag`)."""
        anime = self.search(q) if q else self
        conditions = Q()
        if kind:
            conditions &= Q(kind__in=kind)
        if status:
            conditions &= Q(airing_status__in=status)
        if year:
            conditions &= Q(start_year=year)
        if season:
            conditions &= Q(start_season=season)
        if episodes_min:
            conditions &= Q(episodes__gte=episodes_min)
        if episodes_max:
            conditions &= Q(episodes__lte=episodes_max)
        tagged = Anime.tags.through.objects.filter(anime_id=OuterRef("pk"))
        for included in tag:
            conditions &= Exists(tagged.filter(tag_id=included.pk))
        if notag:
            # Ids, not the tags' query: the planner then knows which links it will read.
            conditions &= ~Exists(tagged.filter(tag_id__in=[excluded.pk for excluded in notag]))
        if studio:
            made_by = Anime.studios.through.objects.filter(anime_id=OuterRef("pk"), studio=studio)
            conditions &= Exists(made_by)
        return anime.filter(conditions)


class AnimeIdSetQuerySet(models.QuerySet):
    def count_anime(
        self,
        *,
        kind: list[str] = (),
        status: list[str] = (),
        tag: list[Tag] = (),
        notag: list[Tag] = (),
    ) -> int:
        """How many anime `Anime.objects.filtered()` finds with these filters; at least one of
        kind, status or tag must be given. One statement of array operations (intarray) on
        each bucket's sets, however many anime match."""
        groups = [
            [f"kind:{value}" for value in kind],
            [f"status:{value}" for value in status],
            *([f"tag:{included.pk}"] for included in tag),
        ]
        groups = [keys for keys in groups if keys]
        excluded = [f"tag:{each.pk}" for each in notag]
        keys = list(dict.fromkeys([*(key for keys in groups for key in keys), *excluded]))
        column = {key: f"set{n}" for n, key in enumerate(keys)}

        def union(group: list[str]) -> str:
            return "(" + " | ".join(f"coalesce({column[key]}, '{{}}')" for key in group) + ")"

        found = " & ".join(union(keys) for keys in groups)
        if excluded:
            found = f"({found}) - {union(excluded)}"
        sets = ", ".join(f"max(anime_ids) FILTER (WHERE key = %s) AS {column[key]}" for key in keys)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT coalesce(sum(icount({found})), 0) FROM (SELECT {sets} "
                f"FROM {AnimeIdSet._meta.db_table} WHERE key = ANY(%s) GROUP BY bucket) AS buckets",
                [*keys, keys],
            )
            return cursor.fetchone()[0]


class AnimeIdSet(models.Model):
    """The ids of the anime of one kind ("kind:tv"), one airing status ("status:finished") or
    one tag ("tag:12"), sorted, for counting combinations of those filters; in buckets of
    4,096 ids (`bucket` is `id >> 12`), so a change rewrites a small array.

    Counting "TV, action, not comedy" by joining the rows reads 80,000 index entries at 100,000
    anime (~14 ms); intersecting these arrays takes ~2 ms. Triggers on the anime and tag-link
    tables keep them right in the transaction of every write, whichever code makes it (catalog
    migration 0009): nothing in Python writes them. intarray's arrays hold 32-bit integers:
    the two-billionth anime would be refused.
    """

    pk = models.CompositePrimaryKey("key", "bucket")
    key = models.TextField()
    bucket = models.IntegerField()
    anime_ids = ArrayField(models.IntegerField())

    objects = AnimeIdSetQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.key} ({self.bucket})"


# The filters AnimeIdSet counts.
ID_SET_FILTERS = {"kind", "status", "tag", "notag"}

# The catalog's sort orders. Each ends with unique columns, so pages never overlap, and each
# has an index of the same shape (Anime.Meta.indexes). Titles sort by their normal form, so
# "!NVADE SHOW!" files under N, not before A.
SORT_ORDERS = {
    "rank": (
        F("rank").asc(nulls_last=True),
        F("popularity").asc(nulls_last=True),
        "search_name",
        "id",
    ),
    "popularity": (F("popularity").asc(nulls_last=True), "search_name", "id"),
    "rating": (F("average_rating").desc(nulls_last=True), F("votes").desc(), "search_name", "id"),
    "title": ("search_name", "id"),
    "year": (F("start_year").desc(nulls_last=True), "search_name", "id"),
    "episodes": (F("episodes").desc(nulls_last=True), "search_name", "id"),
    "relevance": ("relevance", "id"),
}


class Anime(KeepsCoverFiles):
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    slug = models.SlugField(max_length=MAX_TITLE_LENGTH, unique=True)
    kind = models.CharField(max_length=10, choices=Kind, null=True, blank=True)
    episodes = models.PositiveIntegerField(null=True, blank=True)
    episode_minutes = models.PositiveIntegerField("minutes per episode", null=True, blank=True)
    airing_status = models.CharField(max_length=10, choices=AiringStatus, null=True, blank=True)
    start_season = models.CharField(max_length=6, choices=Season, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_season = models.CharField(max_length=6, choices=Season, null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    synopsis = models.TextField(blank=True)
    source_material = models.CharField(max_length=50, blank=True)
    age_rating = models.CharField(max_length=60, blank=True)
    # A cleaned WebP with thumbnails (catalog.cover_files); without one, pages show a placeholder.
    cover = CoverField(
        upload_to="covers/", blank=True, width_field="cover_width", height_field="cover_height"
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    studios = models.ManyToManyField(Studio, related_name="anime", blank=True)
    tags = models.ManyToManyField(Tag, related_name="anime", blank=True)

    # Aggregates kept up to date by the apps that own ratings and lists; 0 votes is a real count.
    average_rating = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    votes = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0, help_text="Lists holding it, any status.")
    # Bumped with every change its page shows (see catalog.page_cache), in the same transaction.
    page_version = models.PositiveIntegerField(default=0, editable=False)
    rank = models.PositiveIntegerField(null=True, blank=True)
    popularity = models.PositiveIntegerField(null=True, blank=True)

    search_name = models.GeneratedField(
        expression=SearchName("title"), output_field=models.TextField(), db_persist=True
    )

    # How a re-import recognises this anime: normalised title, kind and first year (see importers).
    import_key = models.CharField(
        max_length=MAX_TITLE_LENGTH + 40, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnimeQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "anime"
        ordering = ["title", "id"]
        indexes = [
            models.Index(Lower("title"), name="anime_title_lower_idx"),
            models.Index(fields=["start_year", "start_season"], name="anime_start_idx"),
            # Ordered by id, and holding the status: a count by kind (and status) reads this
            # index alone, and merge-joins with the tag links' (tag, anime) index.
            models.Index(fields=["kind", "id"], include=["airing_status"], name="anime_kind_idx"),
            models.Index(fields=["airing_status"], name="anime_airing_status_idx"),
            # One index per sort order of the catalog (SORT_ORDERS), so a page of any of them is
            # an index scan, not a sort of the whole catalog. Each holds the kind, status and
            # start: a page filtered by them finds its ids in the index alone (ids_first_pays).
            models.Index(
                fields=["rank", "popularity", "search_name", "id"],
                include=SORT_INDEX_INCLUDES,
                name="anime_rank_order_idx",
            ),
            models.Index(
                fields=["popularity", "search_name", "id"],
                include=SORT_INDEX_INCLUDES,
                name="anime_popularity_order_idx",
            ),
            models.Index(
                F("average_rating").desc(nulls_last=True),
                F("votes").desc(),
                "search_name",
                "id",
                include=SORT_INDEX_INCLUDES,
                name="anime_rating_order_idx",
            ),
            models.Index(
                fields=["search_name", "id"],
                include=SORT_INDEX_INCLUDES,
                name="anime_title_order_idx",
            ),
            models.Index(
                F("start_year").desc(nulls_last=True),
                "search_name",
                "id",
                include=SORT_INDEX_INCLUDES,
                name="anime_year_order_idx",
            ),
            models.Index(
                F("episodes").desc(nulls_last=True),
                "search_name",
                "id",
                include=SORT_INDEX_INCLUDES,
                name="anime_episodes_order_idx",
            ),
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="anime_search_trgm_idx"),
            # The popular anime's titles, which a search always scores (catalog.search).
            GinIndex(
                OpClass("search_name", name="gin_trgm_ops"),
                condition=Q(popularity__lte=POPULAR_ANIME),
                name="anime_popular_search_trgm_idx",
            ),
            # Titles that start with a search's text (catalog.search), whatever the database's
            # collation; with the popularity, so the most popular of them are found from this
            # index alone.
            models.Index(
                Collate("search_name", "C"),
                include=["popularity", "id"],
                name="anime_search_prefix_idx",
            ),
            # With the title itself: PostgreSQL reads an index alone only if it holds every
            # column the query names, and it doesn't count an expression of one.
            models.Index(
                Left("search_name", 2),
                "popularity",
                "id",
                include=["search_name"],
                name="anime_search_two_letters_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="anime_kind_valid"),
            models.CheckConstraint(
                condition=Q(airing_status__in=AiringStatus.values),
                name="anime_airing_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_season__in=Season.values) & Q(end_season__in=Season.values),
                name="anime_seasons_valid",
            ),
            models.CheckConstraint(condition=Q(episodes__gt=0), name="anime_episodes_positive"),
            models.CheckConstraint(
                condition=Q(episode_minutes__gt=0), name="anime_episode_minutes_positive"
            ),
            models.CheckConstraint(
                condition=Q(start_year__range=(1900, 2100)) & Q(end_year__range=(1900, 2100)),
                name="anime_years_plausible",
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="anime_ends_after_it_starts",
                violation_error_message="The end year cannot be before the start year.",
            ),
            models.CheckConstraint(
                condition=Q(average_rating__range=(0.5, 5)), name="anime_average_rating_range"
            ),
            models.CheckConstraint(
                condition=Q(average_rating__isnull=True, votes=0)
                | Q(average_rating__isnull=False, votes__gt=0),
                name="anime_average_rating_needs_votes",
            ),
            models.CheckConstraint(condition=Q(rank__gt=0), name="anime_rank_positive"),
            models.CheckConstraint(condition=Q(popularity__gt=0), name="anime_popularity_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="anime_title_not_empty"),
        ]

    def __str__(self) -> str:
        if self.start_year:
            return f"{self.title} ({self.start_year})"
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Anime, self.title, fallbacks=self.slug_fallbacks())
        if self.pk is not None:
            self.page_version += 1
        super().save(*args, **kwargs)
        CatalogVersion.bump()

    def get_absolute_url(self) -> str:
        return url_with_slug("catalog:anime-detail", self.slug)

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        # Cached listings (and manga, character and person pages) link to it.
        CatalogVersion.bump()
        return deleted

    def cover_replaced(self, adding: bool) -> None:
        if not adding:
            # Their "Related anime" cards show this cover; this anime's own page was bumped.
            Anime.objects.filter(relations_from__to_anime=self).page_changed()

    def get_cover_url(self) -> str:
        """The cover view's URL: the uploaded original, or the drawn placeholder."""
        # The version parameter changes with every save, so a browser holding yesterday's cover
        # for a day (Cache-Control) still sees a new upload at once.
        url = url_with_slug("catalog:anime-cover", self.slug)
        return f"{url}?v={self.updated_at.timestamp() * 1_000_000:.0f}"

    def cover_urls(self) -> dict[int, str]:
        """The cover in each of COVER_WIDTHS: the uploaded thumbnails, straight from the media
        storage (their names never change content), or the placeholder drawn at that width."""
        if self.cover:
            return {width: self.cover.thumbnail_url(width) for width in COVER_WIDTHS}
        url = self.get_cover_url()
        return {width: f"{url}&w={width}" for width in COVER_WIDTHS}

    def slug_fallbacks(self) -> list[str]:
        """Slug suffixes that tell apart two anime with the same title, most readable first."""
        parts = []
        if self.start_year:
            parts.append(str(self.start_year))
        if self.kind:
            parts.append(self.kind)
        if self.start_year and self.kind:
            parts.append(f"{self.kind}-{self.start_year}")
        return parts

    @property
    def kind_summary(self) -> str:
        """'Web (6 eps x 5 min)', 'Movie (1 ep x 1 hr 44 min)', 'TV (? eps)'."""
        kind = KIND_LABELS.get(self.kind, "Unknown type")
        if self.episodes is None:
            episodes = "? eps"
        else:
            episodes = f"{self.episodes:,} ep{'s' if self.episodes != 1 else ''}"
        if self.episode_minutes:
            episodes += f" x {format_minutes(self.episode_minutes)}"
        return f"{kind} ({episodes})"

    @property
    def years(self) -> str:
        """'2003', '2009 - 2010', '2022 - ?' while airing; '' when unknown."""
        if self.start_year is None:
            return ""
        if self.end_year and self.end_year != self.start_year:
            return f"{self.start_year} - {self.end_year}"
        if self.airing_status == AiringStatus.AIRING:
            return f"{self.start_year} - ?"
        return str(self.start_year)

    @property
    def season_label(self) -> str:
        if self.start_season and self.start_year:
            return f"{self.get_start_season_display()} {self.start_year}"
        return ""


# A listing's rows by id (search results, filtered pages): `for_list()`, compiled once.
LISTED_ANIME = RowsById(lambda: Anime.objects.for_list())


@functools.cache
def _url_pattern(name: str) -> str:
    return reverse(name, kwargs={"slug": "SLUG"}).replace("SLUG", "{}")


def url_with_slug(name: str, slug: str) -> str:
    """reverse() for the URLs that take just a slug, a catalog page builds 100 of them.

    reverse() costs tens of microseconds a call; the pattern is resolved once and filled in.
    A slug needs no quoting: it is letters, digits, hyphens and underscores.
    """
    return _url_pattern(name).format(slug)


def format_minutes(minutes: int) -> str:
    """5 → '5 min', 104 → '1 hr 44 min', 120 → '2 hr'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} hr {rest} min" if rest else f"{hours} hr"


class ShownOnAnimePages(models.Model):
    """A row an anime page shows: saving or deleting it marks those pages changed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        Anime.objects.filter(pk__in=self.anime_ids()).page_changed()

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        Anime.objects.filter(pk__in=self.anime_ids()).page_changed()
        return deleted

    def anime_ids(self) -> list[int]:
        raise NotImplementedError


class AnimeTitle(ShownOnAnimePages):
    """Another name the anime is known by: the original Japanese title, an English title, a synonym."""

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    kind = models.CharField(max_length=10, choices=TitleKind, default=TitleKind.SYNONYM)
    search_name = models.GeneratedField(
        expression=SearchName("title"), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        ordering = ["kind", "title"]
        indexes = [
            GinIndex(
                OpClass("search_name", name="gin_trgm_ops"), name="animetitle_search_trgm_idx"
            ),
            models.Index(Collate("search_name", "C"), name="animetitle_search_prefix_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["anime", "title"], name="anime_title_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="anime_title_alt_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=TitleKind.values), name="anime_title_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def anime_ids(self) -> list[int]:
        return [self.anime_id]


class AnimeSource(models.Model):
    """The anime's page on another site (MyAnimeList, AniList, …): how imports recognise it."""

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=300, unique=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class AnimeRelation(ShownOnAnimePages):
    """A directed relation: `to_anime` is the `relation_type` of `from_anime`."""

    from_anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="relations_from")
    to_anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="relations_to")
    relation_type = models.CharField(
        max_length=20, choices=RelationType, default=RelationType.OTHER
    )

    class Meta:
        ordering = ["relation_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_anime", "to_anime"], name="anime_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_anime=F("to_anime")), name="anime_relation_not_self"
            ),
            models.CheckConstraint(
                condition=Q(relation_type__in=RelationType.values), name="anime_relation_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.from_anime.title} → {self.get_relation_type_display()}: {self.to_anime.title}"
        )

    def anime_ids(self) -> list[int]:
        return [self.from_anime_id]
