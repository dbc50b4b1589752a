"""A page of rows already in memory, read by the pager macro like Flask-SQLAlchemy's
Pagination. The jury lists need their whole set anyway, for the counts of what is missing;
only the rows shown are paged."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..query_args import PAGE_SIZE

T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def paginate(rows: Sequence[T], page: int, per_page: int = PAGE_SIZE) -> ListPage[T]:
    """Page `page` of `rows` (empty past the last page, like error_out=False)."""
    start = (page - 1) * per_page
    return ListPage(list(rows[start : start + per_page]), page, per_page, len(rows))
