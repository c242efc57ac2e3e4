"""Custom lists: named, ordered lists of anime that members curate, a note on each item.

Every change to a list's items goes through CustomList's methods (add, remove, move), which
lock the list's row first: two edits of one list run one after the other, so positions stay
1..n without gaps or twins, and `item_count` stays exact. A public list shows on the pages of
the anime it holds (its title and owner), so a change to what those pages show bumps their
`page_version` in the same transaction (see catalog.page_cache).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.urls import reverse
from django.utils import timezone

from catalog.models import Anime, ShownOnAnimePages

MAX_TITLE_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 2000
MAX_NOTE_LENGTH = 1000
MAX_ITEMS = 500
MAX_LISTS_PER_USER = 100
PREVIEW_COVERS = 5


class CustomListError(Exception):
    """A change the list's rules refuse; the message tells the member why."""


class AlreadyInList(CustomListError):
    pass


class ListFull(CustomListError):
    pass


class TooManyLists(CustomListError):
    pass


class ListGone(CustomListError):
    """The list was deleted while the change waited for it."""


class CustomListQuerySet(models.QuerySet):
    def public(self) -> CustomListQuerySet:
        return self.filter(is_public=True)

    def visible_to(self, viewer) -> CustomListQuerySet:
        """The lists `viewer` may open: public ones, and their own private ones."""
        if viewer.is_authenticated:
            return self.filter(Q(is_public=True) | Q(owner=viewer))
        return self.public()

    def not_empty(self) -> CustomListQuerySet:
        return self.filter(item_count__gt=0)

    def holding(self, anime: Anime) -> CustomListQuerySet:
        """The lists holding `anime`, the ones that added it last first."""
        return self.filter(items__anime=anime).order_by("-items__added_at", "-id")

    def recent(self) -> CustomListQuerySet:
        """Most recently changed first; the id breaks ties, so pages never overlap."""
        return self.order_by(F("updated_at").desc(), F("id").desc())

    def for_cards(self) -> CustomListQuerySet:
        """What a list's card shows: its owner, and the covers of its first few anime (one
        more query for the whole page, however many lists it holds)."""
        preview = CustomListItem.objects.select_related("anime").only(
            "custom_list",
            "position",
            "anime__title",
            "anime__slug",
            "anime__updated_at",
            "anime__cover",
        )
        return self.select_related("owner").prefetch_related(
            Prefetch("items", queryset=preview[:PREVIEW_COVERS], to_attr="preview")
        )

    def with_anime(self, anime: Anime) -> CustomListQuerySet:
        """Each list annotated `has_anime`: whether it holds `anime`."""
        return self.annotate(
            has_anime=Exists(CustomListItem.objects.filter(custom_list=OuterRef("pk"), anime=anime))
        )

    @transaction.atomic
    def create_list(self, *, owner, anime: Anime | None = None, **fields: Any) -> CustomList:
        """A new list of `owner`'s (title, description, is_public), holding `anime` if given;
        refused (TooManyLists) once they have MAX_LISTS_PER_USER.

        The owner's row is locked first, so two creations at once are counted one after the
        other and cannot both slip under the limit.
        """
        get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk").get()
        if self.filter(owner=owner).count() >= MAX_LISTS_PER_USER:
            raise TooManyLists(
                f"You have {MAX_LISTS_PER_USER} lists, the most we keep: delete one first."
            )
        custom_list = self.create(owner=owner, **fields)
        if anime is not None:
            custom_list.add(anime)
        return custom_list


class CustomList(models.Model):
    # No index of its own: custom_list_owner_recent_idx leads with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="custom_lists",
        db_index=False,
    )
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    description = models.TextField(blank=True, max_length=MAX_DESCRIPTION_LENGTH)
    is_public = models.BooleanField(
        "public", default=True, help_text="Anyone may see a public list; a private one, only you."
    )
    # Written only by the item methods below, under the list's lock (never by save()).
    item_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomListQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="custom_list_title_not_empty"),
            models.CheckConstraint(
                condition=Q(item_count__lte=MAX_ITEMS), name="custom_list_item_count_at_most_max"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="custom_list_owner_recent_idx"),
            # The page of recent public lists: only the lists it shows are in it.
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(is_public=True, item_count__gt=0),
                name="custom_list_recent_public_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None:
            # item_count belongs to the item methods: a form's stale copy must not overwrite it.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "item_count"
            ]
        with transaction.atomic():
            super().save(*args, **kwargs)
            shown = self._shown_on_anime_pages()
            if shown != getattr(self, "_shown", shown):
                self._anime_pages_changed()
            self._shown = shown

    def get_absolute_url(self) -> str:
        return reverse("customlists:list-detail", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            if self.is_public:
                self._anime_pages_changed()
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs: Any) -> CustomList:
        # Remember what the anime pages show of the list, for save() to compare with.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._shown = instance._shown_on_anime_pages()
        return instance

    def _shown_on_anime_pages(self) -> tuple[Any, ...]:
        """What the pages of the list's anime show of it (nothing when it is private)."""
        fields = self.__dict__  # deferred fields are not loaded: not compared
        return (fields.get("is_public"), fields.get("title") if fields.get("is_public") else None)

    def _anime_pages_changed(self) -> None:
        Anime.objects.filter(pk__in=self.items.values("anime_id")).page_changed()

    @transaction.atomic
    def add(self, anime: Anime, note: str = "") -> CustomListItem:
        """Put `anime` at the end of the list, unless it is in it already (AlreadyInList) or
        the list holds MAX_ITEMS (ListFull)."""
        self._lock()
        if self.items.filter(anime=anime).exists():
            raise AlreadyInList(f"{anime.title} is already in “{self.title}”.")
        if self.item_count >= MAX_ITEMS:
            raise ListFull(f"“{self.title}” holds {MAX_ITEMS} anime, the most a list can.")
        item = CustomListItem.objects.create(
            custom_list=self, anime=anime, position=self.item_count + 1, note=note
        )
        self._items_changed(+1)
        return item

    @transaction.atomic
    def remove(self, item_id: int) -> CustomListItem | None:
        """Take the item off the list and close the gap; None if it was gone already."""
        self._lock()
        item = self.items.filter(pk=item_id).first()
        if item is None:
            return None
        item.custom_list = self  # the locked copy: whether its anime's page shows the list
        item.delete()
        self.items.filter(position__gt=item.position).update(position=F("position") - 1)
        self._items_changed(-1)
        return item

    @transaction.atomic
    def move(self, item_id: int, *, to: int | None = None, by: int = 0) -> CustomListItem | None:
        """Move the item to position `to`, or `by` places (-1 is one up), within 1..item_count;
        the items in between shift by one. None if the item was gone already."""
        self._lock()
        item = self.items.filter(pk=item_id).first()
        if item is None:
            return None
        target = min(max(item.position + by if to is None else to, 1), self.item_count)
        if target < item.position:
            between = self.items.filter(position__gte=target, position__lt=item.position)
            between.update(position=F("position") + 1)
        elif target > item.position:
            between = self.items.filter(position__gt=item.position, position__lte=target)
            between.update(position=F("position") - 1)
        else:
            return item
        # Two items share a position until this update: the unique constraint on
        # (list, position) is checked when the transaction commits.
        self.items.filter(pk=item.pk).update(position=target)
        item.position = target
        self._items_changed(0)
        return item

    def set_note(self, item_id: int, note: str) -> bool:
        """Change the item's note (anime pages don't show notes: no page changes). False if the
        item was gone."""
        with transaction.atomic():
            changed = self.items.filter(pk=item_id).update(note=note)
            if changed:
                self._items_changed(0)
        return bool(changed)

    @transaction.atomic
    def renumber(self) -> None:
        """Positions back to 1..n in their current order, and an exact item_count: after the
        admin, whose forms set positions freely."""
        self._lock()
        positions = list(self.items.order_by("position", "id").values_list("pk", "position"))
        moved = [
            CustomListItem(pk=pk, position=n)
            for n, (pk, position) in enumerate(positions, start=1)
            if position != n
        ]
        CustomListItem.objects.bulk_update(moved, ["position"])
        CustomList.objects.filter(pk=self.pk).update(item_count=len(positions))
        self.item_count = len(positions)

    def _lock(self) -> None:
        """Lock the list's row until the transaction ends, and read its current state: the
        item methods of other requests wait here for this one to finish."""
        row = (
            CustomList.objects.select_for_update()
            .values("item_count", "is_public", "title")
            .filter(pk=self.pk)
            .first()
        )
        if row is None:
            raise ListGone("This list has just been deleted.")
        for name, value in row.items():
            setattr(self, name, value)

    def _items_changed(self, delta: int) -> None:
        self.updated_at = timezone.now()
        CustomList.objects.filter(pk=self.pk).update(
            item_count=F("item_count") + delta, updated_at=self.updated_at
        )
        self.item_count += delta


class CustomListItemQuerySet(models.QuerySet):
    def for_list_page(self) -> CustomListItemQuerySet:
        return self.select_related("anime").defer("anime__synopsis").order_by("position")

    def in_public_lists(self, anime: Anime) -> CustomListItemQuerySet:
        """The anime's places in public lists, with their lists and owners, latest first."""
        return (
            self.filter(anime=anime, custom_list__is_public=True)
            .select_related("custom_list__owner")
            .only("custom_list__title", "custom_list__owner__username")
            .order_by(F("added_at").desc(), F("id").desc())
        )

    def first_with_total(self, n: int) -> tuple[list[CustomListItem], int]:
        """The first `n` rows and how many there are in all, in one query: the window count is
        taken before the LIMIT applies."""
        rows = list(self.annotate(total=Window(Count("pk")))[:n])
        return rows, rows[0].total if rows else 0


class CustomListItem(ShownOnAnimePages):
    # Indexed by the unique (custom_list, anime) and (anime, added_at) constraints and indexes.
    custom_list = models.ForeignKey(
        CustomList, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    anime = models.ForeignKey(
        Anime, on_delete=models.CASCADE, related_name="custom_list_items", db_index=False
    )
    position = models.PositiveIntegerField()
    note = models.TextField(blank=True, max_length=MAX_NOTE_LENGTH)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = CustomListItemQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["custom_list", "anime"],
                name="custom_list_item_once_per_list",
                violation_error_message="This anime is already in the list.",
            ),
            # Deferred: a move shifts a run of items by one, and the rows pass through each
            # other's positions within the transaction.
            models.UniqueConstraint(
                fields=["custom_list", "position"],
                name="custom_list_item_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="custom_list_item_position_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["anime", "-added_at", "-id"], name="custom_list_item_anime_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.anime.title}"

    def anime_ids(self) -> list[int]:
        # A private list shows on no anime page.
        return [self.anime_id] if self.custom_list.is_public else []
