from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator that counts no further than `cap` results.

    Past ten thousand matches nobody needs the exact number, and counting a broad filter of a
    large catalog (every action anime) costs more than fetching the page itself. The last page
    offered is the one holding the cap-th result.
    """

    def __init__(self, object_list, per_page: int, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        """The results up to one past the cap: one query that stops early."""
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def is_capped(self) -> bool:
        return self.counted > self.cap
