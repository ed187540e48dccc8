"""List totals that cost the same at any size: exact up to a bound, then "约 N" from the planner.

Counting every match of "all tickets" or "all of 城乡建设" reads the whole index, which grows with
the years behind it (a year at 25 million tickets: seconds per page view). A list page only needs
to know whether there are a few pages or very many. So ``bounded_total`` counts at most
``COUNT_BOUND + 1`` rows (a short index scan); past that it answers the planner's estimate for
the same query, marked as such, and pages show "约 N 件" ("超过 N 件" when the planner guesses fewer than
were counted). SQLite databases are small: exact always.
"""
from __future__ import annotations

import json

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import Session

COUNT_BOUND = 10_000
# Text search: every counted match is a heap row the LIKE re-checks; nobody reads 50 pages of hits.
SEARCH_COUNT_BOUND = 1_000


class Total(int):
    """A count that knows whether it is exact; prints "约 N" when it is an estimate."""

    exact: bool
    at_least: bool

    def __new__(cls, value: int, exact: bool = True, at_least: bool = False) -> "Total":
        obj = super().__new__(cls, value)
        obj.exact, obj.at_least = exact, at_least
        return obj

    def __str__(self) -> str:
        if self.exact:
            return str(int(self))
        return f"超过 {int(self):,}" if self.at_least else f"约 {_round(int(self)):,}"

    __repr__ = __str__


def _round(value: int) -> int:
    """Two significant digits: an estimate should not look precise."""
    digits = len(str(value)) - 2
    return round(value, -digits) if digits > 0 else value


def bounded_total(session: Session, query: Select, bound: int = COUNT_BOUND) -> Total:
    """Rows ``query`` matches: exact when at most ``bound``, else the planner's estimate (not below it)."""
    if session.get_bind().dialect.name != "postgresql":
        return Total(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)
    found = _count_upto(session, query, bound + 1)
    if found <= bound:
        return Total(found)
    guess = estimate(session, query)
    if guess <= bound:  # the planner guesses fewer than we already counted: say only what we know
        return Total(bound, exact=False, at_least=True)
    return Total(guess, exact=False)


def bounded_total_in_spans(session: Session, spans: list[Select], query: Select, bound: int) -> Total:
    """Like ``bounded_total`` for a search read span by span (``keyset.newest_first_fetch``): as soon
    as a recent span alone holds more than ``bound`` matches the answer is "超过 ``bound``" (the span's
    matches are some of all), else the whole count up to the bound, exact when it stays under. Past
    the bound no planner estimate is given: for an AND of character pairs it is off by a factor of
    a hundred (噪音 at 20 M: "约 2,500" for 234,000)."""
    for query_part in (*spans, query):
        found = _count_upto(session, query_part, bound + 1)
        if found > bound:
            return Total(bound, exact=False, at_least=True)
    return Total(found)


def _count_upto(session: Session, query: Select, limit: int) -> int:
    """Rows ``query`` matches, counting no further than ``limit`` (a short index scan at any size)."""
    limited = _narrow(query).order_by(None).limit(limit).subquery()
    return session.scalar(select(func.count()).select_from(limited)) or 0


def _narrow(query: Select) -> Select:
    """The same rows with one column: a count needs no ticket text carried through the plan."""
    return query.with_only_columns(literal_column("1"), maintain_column_froms=True)


def estimate(session: Session, query: Select) -> int:
    """The planner's row estimate for ``query`` (EXPLAIN, nothing executed)."""
    connection = session.connection()
    compiled = query.order_by(None).compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    result = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar_one()
    plan = result if isinstance(result, list) else json.loads(result)
    return int(plan[0]["Plan"]["Plan Rows"])
