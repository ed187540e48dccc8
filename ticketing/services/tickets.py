"""Application layer: create and read tickets. Functions take a session owned by the caller."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ticketing.core.errors import ApiError
from ticketing.core.timefmt import utcnow
from ticketing.domain import history
from ticketing.domain.classify import Emergency
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.place_keys import place_key
from ticketing.domain.routing import Applied, RoutingDecision
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import (CHANNEL_LABELS, CREATE, DISPATCHED, DUE_OVERDUE, DUE_WARNING, PRIORITY_NORMAL,
                                         PRIORITY_URGENT, RECEIVED, RESOLVED, SYSTEM)
from ticketing.models.tickets import Ticket, TicketAssist
from ticketing.services import outbox
from ticketing.store import numbering
from ticketing.store.counting import COUNT_BOUND, Total, bounded_total
from ticketing.store.filters import status_filter
from ticketing.store.inserts import insert_new_ticket
from ticketing.store.keyset import Seek, Window, select_fetch, window
from ticketing.store.queries import NEWEST, search_page

SYSTEM_ACTOR = "系统"
ROUTER_ACTOR = "自动派单"
DISPATCH_GROUNDS = {Applied.RULE: "按派单规则派至", Applied.TERRITORIAL_FALLBACK: "无对应派单规则，按属地派至"}


@dataclass(frozen=True)
class Created:
    """Result of a create call: the ticket and whether it was an idempotent replay."""

    ticket: Ticket
    replayed: bool


def create_ticket(
    factory: sessionmaker, *, data: TicketCreate, rules: Rules,
    idempotency_key: str | None = None, now: datetime | None = None,
) -> Created:
    """Create (or replay) a ticket in its own transaction; races on the same key end in a replay.

    The key lookup runs in the creating transaction itself: one pooled connection and one
    transaction per creation instead of two.
    """
    fingerprint = data.fingerprint()
    now = now or utcnow()
    try:
        with factory() as session:
            numbering.prepare(session.get_bind(), now)  # a day's first ticket: its sequence, apart
            with session.begin():
                previous = _previous(session, idempotency_key)
                if previous is not None:
                    return _replay(previous, fingerprint)
                ticket = _build(session, data=data, rules=rules, now=now,
                                idempotency_key=idempotency_key, fingerprint=fingerprint)
        return Created(ticket, replayed=False)
    except IntegrityError:
        if not idempotency_key:
            raise
        with factory() as session:
            previous = _by_key(session, idempotency_key)
        if previous is None:
            raise
        return _replay(previous, fingerprint)


def _replay(previous: Ticket, fingerprint: str) -> Created:
    if previous.request_hash != fingerprint:
        raise ApiError(409, "idempotency_key_reused", "该幂等键已用于内容不同的另一次提交，请使用新的幂等键。")
    return Created(previous, replayed=True)


def _previous(session: Session, key: str | None) -> Ticket | None:
    """The ticket already filed with ``key``; a one-column probe first, as the answer is nearly always no."""
    if not key or session.scalar(select(Ticket.id).where(Ticket.idempotency_key == key)) is None:
        return None
    return _by_key(session, key)


def _by_key(session: Session, key: str) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.idempotency_key == key))


def _build(session: Session, *, data: TicketCreate, rules: Rules, now: datetime,
           idempotency_key: str | None, fingerprint: str) -> Ticket:
    """Classify, locate, schedule and route a new ticket, writing its first history events."""
    category, source = _category(data, rules)
    place = rules.places.resolve(data.place)
    district = place.district if place.in_jurisdiction else None
    danger = rules.classifier.emergency(data.description)
    urgent = data.urgent or danger is not None
    policy = rules.deadlines.select(kind=data.kind, category=category, urgent=urgent)
    due = rules.deadlines.compute(now, policy)
    ticket = Ticket(
        number=numbering.next_number(session, now), state=RECEIVED, kind=data.kind,
        category_l1=_level(category, 0), category_l2=_level(category, 1), category_l3=_level(category, 2),
        category_source=source, description=data.description, place=data.place, district=district,
        place_key=place_key(data.place, district, data.description),
        adcode=place.adcode if place.in_jurisdiction else None, event_time=data.event_time,
        lat=data.lat, lon=data.long, media_url=data.media_url,
        channel=data.channel, priority=PRIORITY_URGENT if urgent else PRIORITY_NORMAL,
        emergency=danger.number if danger else None,
        deadline_policy=policy, department_code=rules.router.default,
        sign_due_at=due.sign_due_at, resolve_due_at=due.resolve_due_at,
        warn_at=rules.deadlines.warning_time(now, due.resolve_due_at), created_at=now, updated_at=now,
        contact_name=data.contact_name, contact_phone=data.contact_phone, anonymous=data.anonymous,
        contact_channel=data.contact_channel, contact_email=data.contact_email,
        conversation_id=data.conversation_id, idempotency_key=idempotency_key, request_hash=fingerprint,
        reopen_count=0, assists=[],
    )
    decision = rules.router.decide(category, district,
                                   data.category_confidence if source == "caller" else None)
    facts = {"category_source": source, "deadline_policy": policy, "calendar_estimated": due.estimated,
             "emergency_words": danger.matched if danger else None}
    if data.category_confidence is not None:
        facts["category_confidence"] = data.category_confidence
    history.record(ticket, action=CREATE, at=now, actor=SYSTEM_ACTOR, role=SYSTEM, to_state=RECEIVED,
                   note=_creation_note(data, danger, decision.unsure), data=facts)
    if data.direct_answer:
        _answer_directly(ticket, data.direct_answer, now)
    else:
        _dispatch(ticket, rules, decision, now)
    insert_new_ticket(session, ticket)  # plain INSERTs, not the ORM unit of work (ticketing/inserts.py)
    outbox.record(session, ticket, ticket.events, rules.directory, now, at_creation=True)  # 受理 message, same transaction
    return ticket


def _creation_note(data: TicketCreate, danger: Emergency | None, unsure: bool) -> str:
    note = f"渠道：{CHANNEL_LABELS.get(data.channel, data.channel)}"
    if danger:
        note += f"；疑似紧急情况，应提示市民立即拨打 {danger.number}（{danger.use}），已按紧急工单办理"
    if unsure:
        note += (f"；智能分类把握不足（置信度 {data.category_confidence:.2f}），"
                 f"分类“{'›'.join(data.category or [])}”仅供参考，请人工派单")
    return note


def _answer_directly(ticket: Ticket, answer: str, now: datetime) -> None:
    """Close a first-contact answer in the creating transaction, as the `reply_directly` transition would.

    One transaction, not create + transition: a record that is filed but left unanswered by a lost second
    call would sit in the triage queue as if nobody had answered the resident.
    """
    ticket.reply, ticket.resolved_at, ticket.state = answer, now, RESOLVED
    history.record(ticket, action="reply_directly", at=now, actor=SYSTEM_ACTOR, role=SYSTEM,
                   from_state=RECEIVED, to_state=RESOLVED, note=answer, data={"on_time": True})


def _dispatch(ticket: Ticket, rules: Rules, decision: RoutingDecision, now: datetime) -> None:
    """Send the ticket where the router decided, noting on what grounds (a rule or 属地兜底).

    A decision held for staff (unsure category, no rule, triage, unknown department) leaves the
    ticket in the hotline's queue, as filed.
    """
    if decision.held:
        return
    code, assists = decision.department, list(decision.assist)
    ticket.department_code, ticket.state = code, DISPATCHED
    ticket.assists = [TicketAssist(department_code=a, added_at=now) for a in assists]
    names = "、".join(rules.directory.get(a).name for a in assists)
    history.record(ticket, action="dispatch", at=now, actor=ROUTER_ACTOR, role=SYSTEM,
                   from_state=RECEIVED, to_state=DISPATCHED,
                   note=DISPATCH_GROUNDS[decision.applied] + rules.directory.get(code).name
                   + (f"，协办：{names}" if names else ""),
                   data={"department": code, "assist": assists,
                         "rule": list(decision.rule.category) if decision.rule else None})


def _category(data: TicketCreate, rules: Rules) -> tuple[list[str], str]:
    if data.category:
        return list(data.category), "caller"
    suggestion = rules.classifier.suggest(data.description)
    if suggestion is None:
        return [], "none"
    return suggestion.category, "keywords"


def _level(category: list[str], index: int) -> str | None:
    return category[index] if len(category) > index else None


def get_ticket(session: Session, number: str, visible: Callable[[Ticket], bool] | None = None) -> Ticket:
    """The ticket by number, or a 404 ApiError; malformed numbers are just not found.

    ``visible``: the caller's "may see" rule; a ticket it hides answers the same 404 as a missing one,
    so a caller cannot learn which numbers exist."""
    ticket = None
    if numbering.is_valid_number(number):
        ticket = session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None or (visible is not None and not visible(ticket)):
        raise ApiError(404, "ticket_not_found", f"未找到工单 {number[:40]}，请核对工单号。")
    return ticket


def list_tickets(session: Session, *, state: str | None = None, department: str | None = None,
                 due: str | None = None, conversation_id: str | None = None, q: str | None = None,
                 involving: str | None = None,
                 now: datetime | None = None, page: int = 1, per_page: int = 20,
                 seek: Seek | None = None) -> Window[Ticket]:
    """A page of tickets, newest first, the total count for the filters and the keys of the pages
    beside it (``seek``: start after a key from the previous page, store/keyset.py)."""
    query = select(Ticket)
    if state:
        query = query.where(Ticket.state == state)
    if department:
        query = query.where(Ticket.department_code == department)
    if involving:  # IN over the (few) assisted ids, not a correlated EXISTS: the newest-first index still applies
        assisting = Ticket.id.in_(select(TicketAssist.ticket_id).where(TicketAssist.department_code == involving))
        query = query.where(or_(Ticket.department_code == involving, assisting))
    if due:
        query = query.where(status_filter(due, now or utcnow()))
    if conversation_id:
        query = query.where(Ticket.conversation_id == conversation_id)
    if q:
        return search_page(session, query, q, now or utcnow(), page, per_page, seek, _SEARCHED)
    total = bounded_total(session, query, COUNT_BOUND)  # exact up to a bound (store/counting.py)
    return window(select_fetch(session, query, NEWEST), NEWEST, total, page=page, per_page=per_page, seek=seek)


_SEARCHED = (Ticket.number, Ticket.description, Ticket.place)  # the API does not search phone numbers


def queue_counts(session: Session, now: datetime | None = None) -> dict[str, Total]:
    """Headline numbers for the staff console: waiting for dispatch, in warning, overdue.

    Exact up to ``COUNT_BOUND``, then "约 N" (store/counting.py): a big city's backlog holds tens of
    thousands of overdue tickets, and every staff page shows these three numbers."""
    now = now or utcnow()
    conditions = {"waiting": Ticket.state == RECEIVED, "warning": status_filter(DUE_WARNING, now),
                  "overdue": status_filter(DUE_OVERDUE, now)}
    return {name: bounded_total(session, select(Ticket.id).where(condition)) for name, condition in conditions.items()}
