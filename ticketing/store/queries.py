"""Console queries: the staff queue, the filtered list, a department's list by due time, duplicates.

These are page-shaped reads (ordering, filters the forms offer); the JSON API keeps its own simpler
``service.list_tickets``. Text search is a substring match (``store.search``: on PostgreSQL narrowed
by the character-pair index, any length of word; SQLite scans); it works on Chinese without a word
splitter. Totals are exact up to ``counting.COUNT_BOUND`` and estimates past it, so a page costs the
same with a year or ten years of tickets behind it (docs/scaling.md). Lists page by key (``store.keyset``):
each has one ``Order`` below, and a ``Seek`` from the previous page's cursor starts the next page where
that one ended; ``page`` (an offset) still works for the links people already have.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, case, exists, or_, select, union
from sqlalchemy.orm import Session

from ticketing.core.timefmt import CHINA_TZ, supported_date, utcnow
from ticketing.domain.vocabulary import PRIORITY_URGENT, RECEIVED, SIGNED
from ticketing.models.tickets import Ticket, TicketAssist, TicketEvent
from ticketing.store import search
from ticketing.store.counting import COUNT_BOUND, SEARCH_COUNT_BOUND, Total, bounded_total, bounded_total_in_spans
from ticketing.store.filters import is_open, status_filter
from ticketing.store.keyset import Order, Seek, Window, newest_first_fetch, select_fetch, window

DUPLICATE_DAYS = 7

_URGENT_FIRST = case((Ticket.priority == PRIORITY_URGENT, 0), else_=1)
# The lists' orders; each ends with the unique id so a key names one position.
NEWEST = Order("newest", (Ticket.created_at, Ticket.id), True, (datetime, int), lambda t: (t.created_at, t.id))
QUEUE = Order("queue", (_URGENT_FIRST, Ticket.created_at, Ticket.id), False, (int, datetime, int),
              lambda t: (0 if t.priority == PRIORITY_URGENT else 1, t.created_at, t.id))
DEADLINE = Order("deadline", (Ticket.resolve_due_at, Ticket.id), False, (datetime, int),
                 lambda t: (t.resolve_due_at, t.id))


@dataclass(frozen=True)
class Filters:
    """What the filter form can ask for; empty strings mean "any"."""

    state: str = ""
    category: str = ""
    department: str = ""
    district: str = ""
    due: str = ""
    date_from: str = ""
    date_to: str = ""
    q: str = ""

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def any(self) -> bool:
        return any(self.as_dict().values())


def _day(value: str) -> date | None:
    """The filter's date; malformed or outside the supported range (would overflow) is no filter."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if supported_date(day) else None


def _where(query: Select, f: Filters, now: datetime, dialect: str = "sqlite") -> Select:
    conditions: list[ColumnElement[bool]] = []
    if f.state:
        conditions.append(Ticket.state == f.state)
    if f.category:
        conditions.append(Ticket.category_l1 == f.category)
    if f.department:
        conditions.append(Ticket.department_code == f.department)
    if f.district:
        conditions.append(Ticket.district == f.district)
    if f.due:
        conditions.append(status_filter(f.due, now))
    start, end = _day(f.date_from), _day(f.date_to)
    if start:
        conditions.append(Ticket.created_at >= datetime.combine(start, time.min, CHINA_TZ))
    if end:
        conditions.append(Ticket.created_at < datetime.combine(end + timedelta(days=1), time.min, CHINA_TZ))
    if f.q:
        conditions.append(search.substring_match(f.q, dialect))
    return query.where(*conditions)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _page(session: Session, query: Select, order: Order, page: int, per_page: int, seek: Seek | None,
          searching: bool = False) -> Window[Ticket]:
    total = bounded_total(session, query, SEARCH_COUNT_BOUND if searching else COUNT_BOUND)
    return window(select_fetch(session, query, order), order, total, page=page, per_page=per_page, seek=seek)


def search_page(session: Session, query: Select, q: str, now: datetime, page: int, per_page: int,
                seek: Seek | None, columns: tuple = search.SEARCHED) -> Window[Ticket]:
    """A newest-first page of the tickets of ``query`` whose ``columns`` contain ``q``: span by span on
    PostgreSQL (``search.SPANS``), where a common word has hundreds of thousands of matches."""
    dialect = _dialect(session)
    identifier = search.identifier_match(q, columns)
    if identifier is not None:  # a ticket or phone number: its B-tree, not the terms index
        return _page(session, query.where(identifier), NEWEST, page, per_page, seek, searching=True)
    full = query.where(search.substring_match(q, dialect, columns))
    if dialect != "postgresql":
        return _page(session, full, NEWEST, page, per_page, seek, searching=True)
    narrowed = query.where(search.substring_match(q, dialect, columns, one_term=True))

    def spans(newest: datetime) -> list[Select]:
        return [narrowed.where(Ticket.created_at >= newest - span) for span in search.SPANS]

    total = bounded_total_in_spans(session, spans(now), full, SEARCH_COUNT_BOUND)  # the whole list's total
    fetch = newest_first_fetch(session, full, NEWEST, spans(seek.key[0] if seek and not seek.before else now))
    return window(fetch, NEWEST, total, page=page, per_page=per_page, seek=seek)


def ticket_list(session: Session, f: Filters, *, page: int = 1, per_page: int, seek: Seek | None = None,
                now: datetime | None = None) -> Window[Ticket]:
    """All tickets matching the filters, newest first."""
    now = now or utcnow()
    if f.q:
        query = _where(select(Ticket), replace(f, q=""), now, _dialect(session))
        return search_page(session, query, f.q, now, page, per_page, seek)
    return _page(session, _where(select(Ticket), f, now, _dialect(session)), NEWEST, page, per_page, seek)


def was_returned() -> ColumnElement[bool]:
    """A department sent the ticket back (退单) at least once."""
    return exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.action == "return")


def queue(session: Session, f: Filters, *, page: int = 1, per_page: int, seek: Seek | None = None,
          now: datetime | None = None) -> Window[Ticket]:
    """Waiting for the hotline (new and returned): urgent first, then the oldest."""
    query = _where(select(Ticket).where(Ticket.state == RECEIVED), f, now or utcnow(), _dialect(session))
    return _page(session, query, QUEUE, page, per_page, seek)


def returned_numbers(session: Session, tickets: list[Ticket]) -> set[str]:
    ids = [t.id for t in tickets]
    if not ids:
        return set()
    rows = session.scalars(select(Ticket.number).where(Ticket.id.in_(ids), was_returned()))
    return set(rows)


def pending_extensions(session: Session, limit: int = 20) -> list[Ticket]:
    """Extension requests (延期) waiting for the hotline's decision, oldest deadline first."""
    query = select(Ticket).where(Ticket.state == SIGNED, Ticket.extension_due_at.is_not(None))
    return list(session.scalars(query.order_by(Ticket.resolve_due_at.asc()).limit(limit)))


def department_list(session: Session, code: str, *, state: str, page: int = 1, per_page: int,
                    open_only: bool, seek: Seek | None = None) -> Window[Ticket]:
    """A department's own tickets (lead or assisting), the nearest deadline first.

    The lead and the assisting tickets are two index reads (by department and deadline), each cut at
    the end of the requested page, merged by deadline: an ``OR EXISTS`` over both would make
    PostgreSQL read every ticket the department ever had before sorting them. A seek applies to both
    reads, so a deep page starts each index read where the previous page ended."""
    conditions = [Ticket.state == state] if state else [is_open()] if open_only else []
    lead = select(Ticket.id, Ticket.resolve_due_at).where(Ticket.department_code == code, *conditions)
    assisted = (select(Ticket.id, Ticket.resolve_due_at).join(TicketAssist, TicketAssist.ticket_id == Ticket.id)
                .where(TicketAssist.department_code == code, *conditions))

    def fetch(condition: ColumnElement[bool] | None, reverse: bool, offset: int, limit: int) -> list[Ticket]:
        arms = [q if condition is None else q.where(condition) for q in (lead, assisted)]
        parts = [q.order_by(*DEADLINE.by(reverse)).limit(offset + limit).subquery() for q in arms]  # SQLite: no LIMIT in a UNION arm
        both = union(*[select(p.c.id, p.c.resolve_due_at) for p in parts]).subquery()
        merged = [both.c.resolve_due_at.desc(), both.c.id.desc()] if reverse else [both.c.resolve_due_at, both.c.id]
        ids = session.scalars(select(both.c.id).order_by(*merged).offset(offset).limit(limit)).all()
        by_id = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(ids)))} if ids else {}
        return [by_id[i] for i in ids if i in by_id]

    lead_total, assisted_total = bounded_total(session, lead), bounded_total(session, assisted)
    total = Total(lead_total + assisted_total, exact=lead_total.exact and assisted_total.exact,
                  at_least=lead_total.at_least or assisted_total.at_least)
    return window(fetch, DEADLINE, total, page=page, per_page=per_page, seek=seek)


def likely_duplicates(session: Session, ticket: Ticket, days: int = DUPLICATE_DAYS,
                      limit: int = 5) -> list[Ticket]:
    """Open tickets from the last ``days`` with the same category and the same place or district."""
    if not ticket.category_l1:
        return []
    since = ticket.created_at - timedelta(days=days)
    place = [Ticket.place == ticket.place] if ticket.place else []
    near = or_(*place, Ticket.district == ticket.district) if ticket.district else (place[0] if place else None)
    if near is None:
        return []
    query = select(Ticket).where(
        Ticket.id != ticket.id, is_open(), Ticket.created_at >= since,
        Ticket.category_l1 == ticket.category_l1, Ticket.category_l2 == ticket.category_l2, near)
    same_place_first = case((Ticket.place == ticket.place, 0), else_=1)
    return list(session.scalars(query.order_by(same_place_first, Ticket.created_at.asc()).limit(limit)))
