"""Console queries: the staff queue, the filtered list, a department's list by due time, duplicates.

These are page-shaped reads (ordering, filters the forms offer); the JSON API keeps its own simpler
``service.list_tickets``. Text search is a substring match, which PostgreSQL serves from the trigram
index and SQLite scans; it works on Chinese without a word splitter.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select
from sqlalchemy.orm import Session

from ticketing.core.timefmt import CHINA_TZ, supported_date, utcnow
from ticketing.domain.vocabulary import PRIORITY_URGENT, RECEIVED, SIGNED
from ticketing.models.tickets import Ticket, TicketAssist, TicketEvent
from ticketing.store.filters import is_open, status_filter

DUPLICATE_DAYS = 7


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


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(query: Select, f: Filters, now: datetime) -> Select:
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
        pattern = _like(f.q)
        conditions.append(or_(*[c.like(pattern, escape="\\") for c in (Ticket.number, Ticket.description,
                                                                     Ticket.place, Ticket.contact_phone)]))
    return query.where(*conditions)


def _page(session: Session, query: Select, order: list, page: int, per_page: int) -> tuple[list[Ticket], int]:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def ticket_list(session: Session, f: Filters, *, page: int, per_page: int,
                now: datetime | None = None) -> tuple[list[Ticket], int]:
    """All tickets matching the filters, newest first."""
    query = _where(select(Ticket), f, now or utcnow())
    return _page(session, query, [Ticket.created_at.desc(), Ticket.id.desc()], page, per_page)


def was_returned() -> ColumnElement[bool]:
    """A department sent the ticket back (退单) at least once."""
    return exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.action == "return")


def queue(session: Session, f: Filters, *, page: int, per_page: int,
          now: datetime | None = None) -> tuple[list[Ticket], int]:
    """Waiting for the hotline (new and returned): urgent first, then the oldest."""
    query = _where(select(Ticket).where(Ticket.state == RECEIVED), f, now or utcnow())
    urgent_first = case((Ticket.priority == PRIORITY_URGENT, 0), else_=1)
    return _page(session, query, [urgent_first, Ticket.created_at.asc(), Ticket.id.asc()], page, per_page)


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


def department_list(session: Session, code: str, *, state: str, page: int, per_page: int,
                    open_only: bool) -> tuple[list[Ticket], int]:
    """A department's own tickets (lead or assisting), the nearest deadline first."""
    assisting = exists().where(TicketAssist.ticket_id == Ticket.id, TicketAssist.department_code == code)
    query = select(Ticket).where(or_(Ticket.department_code == code, assisting))
    if state:
        query = query.where(Ticket.state == state)
    elif open_only:
        query = query.where(is_open())
    return _page(session, query, [Ticket.resolve_due_at.asc(), Ticket.id.asc()], page, per_page)


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
