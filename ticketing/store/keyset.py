"""Keyset (seek) paging: a page starts just after (or ends just before) a row's sort key.

``OFFSET 40000`` makes the database read and throw away 40,000 rows before the page it shows, so a
deep page costs more the deeper it is; a seek condition ``(created_at, id) < (:c, :i)`` starts the
index read at the row where the previous page ended, so the 2,000th page costs what the first does
(docs/scaling.md). It also keeps paging stable while tickets arrive: a new ticket shifts every
offset by one (a row seen twice or skipped), but never moves a key.

Every list has one ``Order``: columns that all run the same way (a row comparison needs that) and
end with the unique ``id``, so a key names exactly one position. How a key travels in a URL (signed,
opaque) is the HTTP edge's business (``ticketing/http/cursors.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Generic, Sequence, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, tuple_
from sqlalchemy.orm import Session

from ticketing.store.counting import Total

Row = TypeVar("Row")


@dataclass(frozen=True)
class Order:
    """A list's sort order: ``columns`` (all ascending or all descending, the last one unique) and
    how to read the same values off a loaded row (``value_of``); ``kinds`` say how a key decodes."""

    name: str
    columns: tuple[ColumnElement[Any], ...]
    descending: bool
    kinds: tuple[type, ...]
    value_of: Callable[[Any], tuple[Any, ...]]

    def by(self, reverse: bool = False) -> list[ColumnElement[Any]]:
        down = self.descending != reverse
        return [c.desc() if down else c.asc() for c in self.columns]

    def beyond(self, key: Sequence[Any], reverse: bool = False) -> ColumnElement[bool]:
        """Rows after ``key`` in this order (before it with ``reverse``): one row comparison, which a
        B-tree index on the leading columns serves as a range start."""
        values = tuple_(*[bindparam(None, v, type_=c.type) for c, v in zip(self.columns, key)])
        row = tuple_(*self.columns)
        return row < values if self.descending != reverse else row > values


@dataclass(frozen=True)
class Seek:
    """Where a requested page is: right after ``key`` (``before``: the page that ends right before
    it); ``page`` is only the number shown ("第 N 页"), carried along by the cursor."""

    key: tuple[Any, ...]
    before: bool = False
    page: int = 2


@dataclass
class Window(Generic[Row]):
    """One page of a list: its rows, the list's (bounded) total, the number shown, and the keys the
    previous and next pages seek from (None: there is no such page)."""

    rows: list[Row]
    total: Total
    page: int
    per_page: int
    next_key: tuple[Any, ...] | None
    prev_key: tuple[Any, ...] | None

    @property
    def pages(self) -> Total:
        """Pages of the whole list, as exact (or as estimated) as the total."""
        count = max(1, -(-int(self.total) // self.per_page))
        return Total(count, exact=self.total.exact, at_least=self.total.at_least)

    def __iter__(self):  # type: ignore[no-untyped-def]
        """``rows, total = window``: the shape callers had before keyset paging."""
        return iter((self.rows, self.total))


Fetch = Callable[[ColumnElement[bool] | None, bool, int, int], list[Any]]


def window(fetch: Fetch, order: Order, total: Total, *, page: int, per_page: int,
           seek: Seek | None) -> Window[Any]:
    """A page through ``fetch(condition, reverse, offset, limit)``, which returns rows in the order
    (reversed when asked) that meet the seek condition. One row beyond the page is read to know
    whether a next (or previous) page exists, without a count."""
    key = order.value_of
    if seek is None or (seek.before and seek.page <= 1):
        rows = fetch(None, False, (page - 1) * per_page, per_page + 1)
        shown = rows[:per_page]
        return Window(shown, total, page, per_page, key(shown[-1]) if len(rows) > per_page else None,
                      key(shown[0]) if page > 1 and shown else None)
    if not seek.before:
        rows = fetch(order.beyond(seek.key), False, 0, per_page + 1)
        shown = rows[:per_page]
        return Window(shown, total, max(seek.page, 2), per_page,
                      key(shown[-1]) if len(rows) > per_page else None, key(shown[0]) if shown else seek.key)
    rows = fetch(order.beyond(seek.key, reverse=True), True, 0, per_page + 1)
    if len(rows) <= per_page:  # nothing before these: that is the first page, shown whole
        return window(fetch, order, total, page=1, per_page=per_page, seek=None)
    shown = rows[:per_page][::-1]
    return Window(shown, total, max(seek.page, 2), per_page, key(shown[-1]), key(shown[0]))


def select_fetch(session: Session, query: Select, order: Order) -> Fetch:
    """``fetch`` for a plain query: the seek condition, the order (or its reverse) and the limit."""

    def fetch(condition: ColumnElement[bool] | None, reverse: bool, offset: int, limit: int) -> list[Any]:
        q = query if condition is None else query.where(condition)
        q = q.order_by(*order.by(reverse))
        return list(session.scalars(q.offset(offset).limit(limit) if offset else q.limit(limit)).all())

    return fetch


def newest_first_fetch(session: Session, query: Select, order: Order, spans: Sequence[Select]) -> Fetch:
    """``fetch`` for a newest-first list whose matches are spread over the years (a text search):
    reads ``spans`` in turn — the same rows restricted to ever longer recent periods, each ending at
    or after every row the page may show — and the whole ``query`` last.

    Without it the database reads every match of a common word (a year at 20 M tickets: 234,000 heap
    rows for 噪音) to sort them and keep twenty; within a span the search index and the time index
    meet in one bitmap, so a page reads the matches of the span only. The first span holding a whole
    page holds the newest rows of all, since every row outside it is older: the result is the plain
    query's. Offset pages and pages before a key are read the plain way."""
    plain = select_fetch(session, query, order)

    def fetch(condition: ColumnElement[bool] | None, reverse: bool, offset: int, limit: int) -> list[Any]:
        if reverse or offset:
            return plain(condition, reverse, offset, limit)
        for span in spans:
            rows = select_fetch(session, span, order)(condition, False, 0, limit)
            if len(rows) >= limit:
                return rows
        return plain(condition, False, 0, limit)

    return fetch


def is_key(value: Any, kind: type) -> bool:
    """A decoded key part has the type its column needs (bool is not an int here)."""
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and -2**63 <= value < 2**63
    if kind is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None
    return isinstance(value, kind)
