"""Characters and the people who make anime: who appears in an anime and in what role, who
directed it, wrote it, scored it, and who voices each character in each language.

Every row here shows on an anime page (its Characters and Staff blocks and "See all" pages) and
on character and people pages. Saving or deleting one marks those pages changed in the same
transaction (see catalog.page_cache): the anime's `page_version` for the anime's pages, and one
`PeopleVersion` for every character and person page. Bulk deletes go through the querysets'
`delete()`, which does the same; a bulk `update()` must call `pages_changed()` itself.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import JSONObject

from catalog.cover_files import CoverField, KeepsCoverFiles
from catalog.models import Anime, CatalogVersion, ShownOnAnimePages, url_with_slug
from catalog.ordering import in_choice_order
from catalog.slugs import unique_slug

MAX_NAME_LENGTH = 200


class CastRole(models.TextChoices):
    """A character's part in an anime; main characters come first."""

    MAIN = "main", "Main"
    SUPPORTING = "supporting", "Supporting"


class StaffRole(models.TextChoices):
    """A staff credit, listed in this order: the credits people look for first come first."""

    ORIGINAL_CREATOR = "original_creator", "Original creator"
    DIRECTOR = "director", "Director"
    SERIES_COMPOSITION = "series_composition", "Series composition"
    SCRIPT = "script", "Script"
    CHARACTER_DESIGN = "character_design", "Character design"
    MUSIC = "music", "Music"
    ART_DIRECTOR = "art_director", "Art director"
    SOUND_DIRECTOR = "sound_director", "Sound director"
    CHIEF_ANIMATION_DIRECTOR = "chief_animation_director", "Chief animation director"
    STORYBOARD = "storyboard", "Storyboard"
    PRODUCER = "producer", "Producer"
    THEME_SONG = "theme_song", "Theme song performance"


class Language(models.TextChoices):
    """A voice cast's language: the original Japanese first, then the dubs."""

    JAPANESE = "japanese", "Japanese"
    ENGLISH = "english", "English"
    FRENCH = "french", "French"
    GERMAN = "german", "German"
    SPANISH = "spanish", "Spanish"
    ITALIAN = "italian", "Italian"
    PORTUGUESE = "portuguese", "Portuguese"
    KOREAN = "korean", "Korean"
    MANDARIN = "mandarin", "Mandarin"


class PeopleVersion(models.Model):
    """One number that moves with every change character and people pages show: the version
    their cached copies are filed under, with the CatalogVersion for the anime they list.

    One number for all of them rather than one per character: these rows change seldom (an
    editor in the admin), and a change to a person shows on every character they voice."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="people_version_single_row")]

    def __str__(self) -> str:
        return f"People version {self.version}"

    @classmethod
    def bump(cls) -> None:
        """In the transaction of the change, so no reader sees the new number before the data."""
        updated = cls.objects.filter(id=1).update(version=F("version") + 1)
        if not updated:
            cls.objects.bulk_create([cls(id=1, version=1)], ignore_conflicts=True)

    @classmethod
    def page_version(cls, model: type[models.Model], slug: str) -> str | None:
        """The version a character's or person's page is cached under, or None when there is
        no such page; one query."""
        versions = (
            model._default_manager.filter(slug=slug)
            .values_list(
                models.Subquery(cls.objects.filter(id=1).values("version")),
                models.Subquery(CatalogVersion.objects.filter(id=1).values("version")),
            )
            .first()
        )
        if versions is None:
            return None
        people, catalog = versions
        return f"{people or 0}.{catalog or 0}"


class ShownOnPagesQuerySet(models.QuerySet):
    def anime_showing(self) -> Q:
        """The anime whose pages show these rows, as a condition on Anime."""
        raise NotImplementedError

    def pages_changed(self) -> None:
        """Mark the pages that show these rows changed; in the transaction of the change."""
        Anime.objects.filter(self.anime_showing()).page_changed()
        PeopleVersion.bump()

    def delete(self) -> tuple[int, dict[str, int]]:
        # The admin's "delete selected" comes here, not to Model.delete(). The pages are marked
        # first: once the rows are gone, nothing says which anime showed them.
        with transaction.atomic():
            self.pages_changed()
            return super().delete()

    # As QuerySet.delete(): not on the manager (Person.objects.delete() would empty the table).
    delete.alters_data = True
    delete.queryset_only = True


class ShownOnPeoplePages(ShownOnAnimePages):
    """A row shown on anime pages and on character and people pages.

    ShownOnAnimePages marks the anime pages that show the row once it is saved; this also marks
    the pages that showed it before (a role moved to another anime, a renamed character's every
    anime) and, on delete, does so first, while the rows that tie it to its anime still exist.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if not self._state.adding:
                self._as_queryset().pages_changed()
            super().save(*args, **kwargs)
            PeopleVersion.bump()

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            self._as_queryset().pages_changed()
            return super().delete(*args, **kwargs)

    def anime_ids(self) -> list[int]:
        if self.pk is None:  # deleted: its pages were marked before
            return []
        return list(
            Anime.objects.filter(self._as_queryset().anime_showing()).values_list("pk", flat=True)
        )

    def _as_queryset(self) -> ShownOnPagesQuerySet:
        return type(self)._default_manager.filter(pk=self.pk)


class CharacterQuerySet(ShownOnPagesQuerySet):
    def anime_showing(self) -> Q:
        return Q(pk__in=CharacterRole.objects.filter(character__in=self).values("anime_id"))

    def for_detail_page(self) -> CharacterQuerySet:
        """A character with its anime, newest first, and each one's voice cast: three queries."""
        return self.prefetch_related(
            Prefetch(
                "roles",
                queryset=CharacterRole.objects.select_related("anime")
                .with_voice_cast()
                .order_by(F("anime__start_year").desc(nulls_last=True), "anime__title"),
            )
        )


class Character(KeepsCoverFiles, ShownOnPeoplePages):
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    alt_names = ArrayField(
        models.CharField(max_length=MAX_NAME_LENGTH),
        blank=True,
        default=list,
        verbose_name="alternative names",
        help_text="Other names, in other scripts too, separated by commas.",
    )
    slug = models.SlugField(max_length=MAX_NAME_LENGTH, unique=True)
    description = models.TextField(blank=True)
    # Shown in a cover's proportions, so stored as a cover is: checked (bombs, non-images,
    # oversized files are a form error), cleaned WebP with thumbnails (catalog.cover_files).
    image = CoverField(
        upload_to="characters/", blank=True, width_field="image_width", height_field="image_height"
    )
    cover_field = "image"
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CharacterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="character_name_not_empty")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Character, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return url_with_slug("people:character-detail", self.slug)

    def get_image_url(self) -> str:
        # The version parameter changes with every save, so a browser that keeps the image for
        # a day still sees a new upload at once.
        url = url_with_slug("people:character-image", self.slug)
        return f"{url}?v={self.updated_at.timestamp() * 1_000_000:.0f}"


class PersonQuerySet(ShownOnPagesQuerySet):
    def anime_showing(self) -> Q:
        return Q(pk__in=StaffCredit.objects.filter(person__in=self).values("anime_id")) | Q(
            pk__in=VoiceCredit.objects.filter(person__in=self).values("character_role__anime_id")
        )

    def for_detail_page(self) -> PersonQuerySet:
        """A person with their staff credits and the characters they voice: three queries."""
        return self.prefetch_related(
            Prefetch(
                "staff_credits",
                queryset=StaffCredit.objects.select_related("anime").order_by(
                    in_choice_order("role", StaffRole),
                    F("anime__start_year").desc(nulls_last=True),
                    "anime__title",
                ),
            ),
            Prefetch(
                "voice_credits",
                queryset=VoiceCredit.objects.select_related(
                    "character_role__character", "character_role__anime"
                ).order_by(
                    F("character_role__anime__start_year").desc(nulls_last=True),
                    "character_role__anime__title",
                    in_choice_order("character_role__role", CastRole),
                    "character_role__character__name",
                    in_choice_order("language", Language),
                ),
            ),
        )


class Person(ShownOnPeoplePages):
    """Someone credited on an anime: staff, a voice actor, or both. A band (RADWIMPS) or a
    collective credited as one is a person too, as on the credits."""

    name = models.CharField(max_length=MAX_NAME_LENGTH)
    alt_names = ArrayField(
        models.CharField(max_length=MAX_NAME_LENGTH),
        blank=True,
        default=list,
        verbose_name="alternative names",
        help_text="Other names, in other scripts too, separated by commas.",
    )
    slug = models.SlugField(max_length=MAX_NAME_LENGTH, unique=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="person_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Person, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return url_with_slug("people:person-detail", self.slug)


class CharacterRoleQuerySet(ShownOnPagesQuerySet):
    def anime_showing(self) -> Q:
        return Q(pk__in=self.values("anime_id"))

    def in_cast_order(self) -> CharacterRoleQuerySet:
        """Main characters first, then as the editors ordered them, then by name."""
        return self.order_by(in_choice_order("role", CastRole), "order", "character__name", "pk")

    def with_voice_cast(self, language: Language | None = None) -> CharacterRoleQuerySet:
        """Prefetch each role's voice actors (in one `language`, or all) into `voices`."""
        credits = VoiceCredit.objects.select_related("person").order_by(
            in_choice_order("language", Language), "person__name"
        )
        if language:
            credits = credits.filter(language=language)
        return self.prefetch_related(Prefetch("voice_credits", credits, to_attr="voices"))

    def for_cast_list(self) -> CharacterRoleQuerySet:
        """An anime's characters with every voice actor: two queries."""
        return self.select_related("character").with_voice_cast().in_cast_order()

    def for_anime_page(self) -> CharacterRoleQuerySet:
        """The anime page's few characters in one query. Each row carries `japanese_voices`,
        a list of {"name", "slug"} of the people who voice it in Japanese, and `total`, the
        count of all the anime's characters (the window runs before the slice)."""
        japanese = (
            VoiceCredit.objects.filter(character_role=OuterRef("pk"), language=Language.JAPANESE)
            .order_by("person__name")
            .values(voice=JSONObject(name="person__name", slug="person__slug"))
        )
        return (
            self.select_related("character")
            .annotate(japanese_voices=ArraySubquery(japanese), total=Window(Count("pk")))
            .in_cast_order()
        )


class CharacterRole(ShownOnPeoplePages):
    """A character's appearance in an anime, as a main or supporting character."""

    # The unique constraint's index, which starts with the anime, serves lookups by anime.
    anime = models.ForeignKey(
        Anime, on_delete=models.CASCADE, related_name="character_roles", db_index=False
    )
    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=10, choices=CastRole, default=CastRole.MAIN)
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Characters of the same role are listed by this number, then by name."
    )

    objects = CharacterRoleQuerySet.as_manager()

    class Meta:
        # "main" sorts before "supporting"; pages order with in_cast_order() all the same.
        ordering = ["role", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["anime", "character"],
                name="character_role_unique",
                violation_error_message="This character is already in this anime's cast.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=CastRole.values), name="character_role_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.character} in {self.anime}"


class StaffCreditQuerySet(ShownOnPagesQuerySet):
    def anime_showing(self) -> Q:
        return Q(pk__in=self.values("anime_id"))

    def in_credits_order(self) -> StaffCreditQuerySet:
        return self.order_by(in_choice_order("role", StaffRole), "person__name", "pk")

    def for_anime_page(self) -> StaffCreditQuerySet:
        """The anime's credits with their people, the most sought-after roles first: one query.
        Each row carries `total`, the count of all the anime's credits."""
        return self.select_related("person").annotate(total=Window(Count("pk"))).in_credits_order()


class StaffCredit(ShownOnPeoplePages):
    """A person's job on an anime; someone who directed and storyboarded has two credits."""

    # The unique constraint's index, which starts with the anime, serves lookups by anime.
    anime = models.ForeignKey(
        Anime, on_delete=models.CASCADE, related_name="staff_credits", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="staff_credits")
    role = models.CharField(max_length=30, choices=StaffRole)

    objects = StaffCreditQuerySet.as_manager()

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["anime", "person", "role"],
                name="staff_credit_unique",
                violation_error_message="This person already has this credit on this anime.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=StaffRole.values), name="staff_credit_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.get_role_display()} of {self.anime}"


class VoiceCreditQuerySet(ShownOnPagesQuerySet):
    def anime_showing(self) -> Q:
        return Q(pk__in=self.values("character_role__anime_id"))


class VoiceCredit(ShownOnPeoplePages):
    """A person voicing a character in an anime, in one language."""

    # The unique constraint's index, which starts with the role, serves lookups by role.
    character_role = models.ForeignKey(
        CharacterRole,
        on_delete=models.CASCADE,
        related_name="voice_credits",
        db_index=False,
        verbose_name="character",
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="voice_credits", verbose_name="voice actor"
    )
    language = models.CharField(max_length=12, choices=Language, default=Language.JAPANESE)

    objects = VoiceCreditQuerySet.as_manager()

    class Meta:
        ordering = ["language", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["character_role", "person", "language"],
                name="voice_credit_unique",
                violation_error_message="This person already voices this character in this language.",
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="voice_credit_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.person} voices {self.character_role.character} ({self.get_language_display()})"
        )
