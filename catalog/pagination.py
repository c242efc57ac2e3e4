from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.query import RawQuerySet
from django.utils.functional import cached_property

from catalog.lookups import int_array

COUNT_CAP = 10_000
# From this many rows in, a page first reads its rows' ids, then the rows (see `page()`).
DEEP_PAGE_OFFSET = 500


class CappedPaginator(Paginator):
    """A paginator that counts no further than `cap` results.

    Past ten thousand matches nobody needs the exact number, and counting a broad filter of a
    large catalog (every action anime) costs more than fetching the page itself. The last page
    offered is the one holding the cap-th result.

    `known_count`, when given, is the number of results, learnt more cheaply than by counting
    them (see AnimeQuerySet.count_cheaply). `ids_first` reads every page as a deep one (see
    `page()`), and `rows`, when given, is where a page read by ids finds its rows: the listing
    without its filters, which the ids have already applied.
    """

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        cap: int | None = None,
        known_count: int | None = None,
        ids_first: bool = False,
        rows: QuerySet | RowsById | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.known_count = known_count
        self.ids_first = ids_first
        self.rows = object_list if rows is None else rows

    @cached_property
    def counted(self) -> int:
        """The results up to one past the cap: one query that stops early."""
        if self.known_count is not None:
            return min(self.known_count, self.cap + 1)
        return self.object_list.values("pk").order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def is_capped(self) -> bool:
        return self.counted > self.cap

    def page(self, number: int | str) -> Page:
        """A deep page reads the ids of its rows first, then those rows.

        PostgreSQL computes the whole select list (the studio names' subquery) of every row
        an OFFSET skips; the ids alone come from the sort order's index and cost ~100 times less.
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEEP_PAGE_OFFSET and not self.ids_first:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(rows_in_order(self.rows, ids), number, self)


class RowsById:
    """The rows of a queryset by id, its query compiled once per process.

    A listing reads its page's rows by id (search results, filtered pages), with the same query
    every time but for the ids; compiling it (its deferred columns, the studio names' subquery)
    cost ~2 ms a page, more than reading the rows. The queryset may have no parameters of its
    own.
    """

    def __init__(self, rows: Callable[[], QuerySet]) -> None:
        self.rows = rows

    @cached_property
    def compiled(self) -> tuple[QuerySet, str]:
        rows = self.rows()
        sql, params = rows.filter(pk__any=[0]).order_by().query.sql_with_params()
        if len(params) != 1:
            raise ValueError("RowsById takes a query without parameters of its own")
        return rows, sql

    def __call__(self, ids: list[int]) -> RawQuerySet:
        rows, sql = self.compiled
        return rows.raw(sql, [int_array(ids)])


def rows_in_order(rows: QuerySet | RowsById, ids: list[int]) -> list:
    """The rows of `rows` with these ids, in the ids' order; one with none (deleted since the
    ids were read) is left out.

    One query by primary key, without the sort: ordered, PostgreSQL may walk the sort order's
    index to find a handful of rows.
    """
    found = rows(ids) if isinstance(rows, RowsById) else rows.filter(pk__any=ids).order_by()
    by_id = {row.pk: row for row in found}
    return [by_id[pk] for pk in ids if pk in by_id]
