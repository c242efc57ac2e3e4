"""Manga, light novels and the other printed works anime come from or lead to.

A Manga is shown on its own page and, through AnimeMangaRelation, on the pages of the anime it
is related to ("Related manga" there, "Related anime" on the manga's page). Unknown values are
NULL, as in the catalog: a series still running has `volumes = NULL`, not 0.

Page cache: the manga pages are filed under the catalog's version (CatalogVersion), which every
change to a manga, its titles, authors or relations bumps, and which every change to an anime
bumps too, so a related anime's new title shows at once. An anime page is filed under that
anime's own `page_version`: a relation, or a change to a manga the page shows, bumps it.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Lower

from catalog.models import (
    MAX_TITLE_LENGTH,
    Anime,
    AnimeQuerySet,
    CatalogVersion,
    ShownInCatalogQuerySet,
    ShownOnAnimePages,
    Tag,
    TitleKind,
    url_with_slug,
)
from catalog.ordering import in_choice_order
from catalog.search import SearchName
from catalog.slugs import unique_slug

FIRST_YEAR = 1800
LAST_YEAR = 2100


class MangaKind(models.TextChoices):
    MANGA = "manga", "Manga"
    LIGHT_NOVEL = "light_novel", "Light novel"
    NOVEL = "novel", "Novel"
    ONE_SHOT = "one_shot", "One-shot"
    MANHWA = "manhwa", "Manhwa"
    MANHUA = "manhua", "Manhua"
    DOUJINSHI = "doujinshi", "Doujinshi"


class PublishingStatus(models.TextChoices):
    PUBLISHING = "publishing", "Publishing"
    FINISHED = "finished", "Finished"
    HIATUS = "hiatus", "On hiatus"
    DISCONTINUED = "discontinued", "Discontinued"
    UPCOMING = "upcoming", "Not yet published"


class AuthorRole(models.TextChoices):
    STORY_AND_ART = "story_art", "Story & Art"
    STORY = "story", "Story"
    ART = "art", "Art"
    ORIGINAL_CREATOR = "original", "Original creator"


class MangaRelation(models.TextChoices):
    """What the manga is to the anime: a relation is stored once and read from both sides.

    The labels spell out the direction for the admin; the pages use the short names of
    RELATION_LABELS, which name the other side from where the reader stands.
    """

    SOURCE = "source", "Source: the anime adapts the manga"
    ADAPTATION = "adaptation", "Adaptation: the manga adapts the anime"
    SPIN_OFF = "spin_off", "Spin-off: the manga spins off the anime"
    PARENT_STORY = "parent_story", "Parent story: the anime spins off the manga"
    ALTERNATIVE = "alternative", "Alternative version"
    OTHER = "other", "Other"


# (what the anime page calls the manga, what the manga page calls the anime)
RELATION_LABELS: dict[str, tuple[str, str]] = {
    MangaRelation.SOURCE: ("Source", "Adaptation"),
    MangaRelation.ADAPTATION: ("Adaptation", "Source"),
    MangaRelation.SPIN_OFF: ("Spin-off", "Parent story"),
    MangaRelation.PARENT_STORY: ("Parent story", "Spin-off"),
    MangaRelation.ALTERNATIVE: ("Alternative version", "Alternative version"),
    MangaRelation.OTHER: ("Other", "Other"),
}


class ShownOnMangaPages(models.Model):
    """A row the manga pages show: saving or deleting it moves the catalog's version."""

    objects = ShownInCatalogQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        CatalogVersion.bump()

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        CatalogVersion.bump()
        return deleted


class Author(ShownOnMangaPages):
    """Who wrote or drew a manga. Authors have a page listing their works."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="manga_author_name_unique_ci"),
            models.CheckConstraint(condition=~Q(name=""), name="manga_author_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Author, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return url_with_slug("manga:author-detail", self.slug)


class MangaQuerySet(ShownInCatalogQuerySet):
    def for_detail_page(self) -> MangaQuerySet:
        """Everything the manga page shows, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch("titles", queryset=MangaTitle.objects.order_by("kind", "title")),
            models.Prefetch("tags", queryset=Tag.objects.order_by("category", "name")),
            models.Prefetch("credits", queryset=MangaAuthor.objects.select_related("author")),
            models.Prefetch(
                "anime_relations",
                queryset=AnimeMangaRelation.objects.select_related("anime")
                .defer("anime__synopsis")
                .order_by(
                    in_choice_order("relation", MangaRelation), "anime__start_year", "anime__title"
                ),
            ),
        )

    def for_list(self) -> MangaQuerySet:
        """What a row of a manga listing shows: no synopsis; `author_names` in the same query."""
        author_names = ArraySubquery(
            MangaAuthor.objects.filter(manga=OuterRef("pk"))
            .order_by("position", "id")
            .values("author__name")
        )
        return self.defer("synopsis").annotate(author_names=author_names)

    def matching(self, text: str) -> MangaQuerySet:
        """Manga whose title or an alternative title contains `text`, compared in the
        catalog's normal form (case, accents and punctuation don't matter). The trigram
        indexes serve the substring match."""
        query = SearchName(Value(text))
        other_title = MangaTitle.objects.filter(manga=OuterRef("pk"), search_name__contains=query)
        return self.filter(Q(search_name__contains=query) | Exists(other_title))

    def by_title(self) -> MangaQuerySet:
        return self.order_by("search_name", "id")

    def anime_showing(self) -> AnimeQuerySet:
        return Anime.objects.filter(manga_relations__manga__in=self)


class Manga(models.Model):
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    slug = models.SlugField(max_length=MAX_TITLE_LENGTH, unique=True)
    kind = models.CharField(max_length=12, choices=MangaKind, default=MangaKind.MANGA)
    volumes = models.PositiveIntegerField(null=True, blank=True)
    chapters = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PublishingStatus, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    synopsis = models.TextField(blank=True)
    cover = models.ImageField(
        upload_to="manga-covers/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    authors = models.ManyToManyField(
        Author, through="MangaAuthor", related_name="manga", blank=True
    )
    tags = models.ManyToManyField(Tag, related_name="manga", blank=True)
    search_name = models.GeneratedField(
        expression=SearchName("title"), output_field=models.TextField(), db_persist=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MangaQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "manga"
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["search_name", "id"], name="manga_title_order_idx"),
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="manga_search_trgm_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MangaKind.values), name="manga_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=PublishingStatus.values), name="manga_status_valid"
            ),
            models.CheckConstraint(condition=Q(volumes__gt=0), name="manga_volumes_positive"),
            models.CheckConstraint(condition=Q(chapters__gt=0), name="manga_chapters_positive"),
            models.CheckConstraint(
                condition=Q(start_year__range=(FIRST_YEAR, LAST_YEAR))
                & Q(end_year__range=(FIRST_YEAR, LAST_YEAR)),
                name="manga_years_plausible",
                violation_error_message=f"Years run from {FIRST_YEAR} to {LAST_YEAR}.",
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="manga_ends_after_it_starts",
                violation_error_message="The end year cannot be before the start year.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[PublishingStatus.PUBLISHING, PublishingStatus.UPCOMING])
                | Q(end_year__isnull=True),
                name="manga_running_has_no_end_year",
                violation_error_message="A manga still publishing (or not yet) has no end year.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="manga_title_not_empty"),
        ]

    def __str__(self) -> str:
        if self.start_year:
            return f"{self.title} ({self.start_year})"
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Manga, self.title, fallbacks=self.slug_fallbacks())
        super().save(*args, **kwargs)
        # The anime pages showing it show its title, kind and cover: they change with it.
        Anime.objects.filter(manga_relations__manga=self).page_changed()
        CatalogVersion.bump()

    def get_absolute_url(self) -> str:
        return url_with_slug("manga:manga-detail", self.slug)

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        anime_ids = list(self.anime_relations.values_list("anime_id", flat=True))
        deleted = super().delete(*args, **kwargs)
        Anime.objects.filter(pk__in=anime_ids).page_changed()
        CatalogVersion.bump()
        return deleted

    def get_cover_url(self) -> str:
        # Changes with every save, so a browser holding the old cover for a day sees a new one.
        url = url_with_slug("manga:manga-cover", self.slug)
        return f"{url}?v={self.updated_at.timestamp() * 1_000_000:.0f}"

    def slug_fallbacks(self) -> list[str]:
        """Slug suffixes that tell apart two manga of the same title: the kind, then the year."""
        parts = [self.kind.replace("_", "-")] if self.kind else []
        if self.start_year:
            parts.append(str(self.start_year))
        return parts

    @property
    def kind_summary(self) -> str:
        """'Manga (27 vols x 108 chs)', 'Light novel (10 vols)', 'Manga (? vols)'."""
        counts = []
        if self.volumes is not None:
            counts.append(f"{self.volumes:,} vol{'s' if self.volumes != 1 else ''}")
        if self.chapters is not None:
            counts.append(f"{self.chapters:,} ch{'s' if self.chapters != 1 else ''}")
        return f"{self.get_kind_display()} ({' x '.join(counts) or '? vols'})"

    @property
    def years(self) -> str:
        """'1997 - 2003', '2009 - ?' while publishing or on hiatus, '' when unknown."""
        if self.start_year is None:
            return ""
        if self.end_year and self.end_year != self.start_year:
            return f"{self.start_year} - {self.end_year}"
        if self.end_year is None and self.status in (
            PublishingStatus.PUBLISHING,
            PublishingStatus.HIATUS,
        ):
            return f"{self.start_year} - ?"
        return str(self.start_year)


class MangaAuthor(ShownOnMangaPages):
    """An author's credit on a manga, in the order the manga credits them."""

    manga = models.ForeignKey(Manga, on_delete=models.CASCADE, related_name="credits")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=10, choices=AuthorRole, default=AuthorRole.STORY_AND_ART)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["manga", "author"], name="manga_author_unique"),
            models.CheckConstraint(
                condition=Q(role__in=AuthorRole.values), name="manga_author_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} ({self.get_role_display()})"


class MangaTitle(ShownOnMangaPages):
    """Another name the manga is known by: Japanese, English, a synonym."""

    manga = models.ForeignKey(Manga, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    kind = models.CharField(max_length=10, choices=TitleKind, default=TitleKind.SYNONYM)
    search_name = models.GeneratedField(
        expression=SearchName("title"), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        ordering = ["kind", "title"]
        indexes = [
            GinIndex(
                OpClass("search_name", name="gin_trgm_ops"), name="mangatitle_search_trgm_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["manga", "title"], name="manga_title_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="manga_title_alt_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=TitleKind.values), name="manga_title_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AnimeMangaRelationQuerySet(ShownInCatalogQuerySet):
    def for_anime_page(self, anime: Anime) -> AnimeMangaRelationQuerySet:
        """The anime page's "Related manga", with the manga joined in: one query."""
        return (
            self.filter(anime=anime)
            .select_related("manga")
            .defer("manga__synopsis")
            .order_by(
                in_choice_order("relation", MangaRelation), "manga__start_year", "manga__title"
            )
        )

    def anime_showing(self) -> AnimeQuerySet:
        return Anime.objects.filter(pk__in=self.values("anime_id"))


class AnimeMangaRelation(ShownOnAnimePages):
    """`manga` is the `relation` of `anime` (its source, an adaptation of it, a spin-off…)."""

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="manga_relations")
    manga = models.ForeignKey(Manga, on_delete=models.CASCADE, related_name="anime_relations")
    relation = models.CharField(max_length=12, choices=MangaRelation, default=MangaRelation.SOURCE)

    objects = AnimeMangaRelationQuerySet.as_manager()

    class Meta:
        verbose_name = "anime–manga relation"
        ordering = ["relation"]
        constraints = [
            models.UniqueConstraint(
                fields=["anime", "manga", "relation"], name="anime_manga_relation_unique"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=MangaRelation.values),
                name="anime_manga_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anime.title} → {self.label_on_anime_page}: {self.manga.title}"

    def save(self, *args, **kwargs) -> None:
        # An editor may move the relation to another anime: the page it leaves changes too.
        self._left_anime_ids = []
        if self.pk is not None:
            self._left_anime_ids = list(
                AnimeMangaRelation.objects.filter(pk=self.pk)
                .exclude(anime_id=self.anime_id)
                .values_list("anime_id", flat=True)
            )
        super().save(*args, **kwargs)
        CatalogVersion.bump()

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        CatalogVersion.bump()
        return deleted

    def anime_ids(self) -> list[int]:
        return [self.anime_id, *getattr(self, "_left_anime_ids", [])]

    @property
    def label_on_anime_page(self) -> str:
        return RELATION_LABELS[self.relation][0]

    @property
    def label_on_manga_page(self) -> str:
        return RELATION_LABELS[self.relation][1]
