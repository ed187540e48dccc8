"""Use cases for a resident's rating outside the chat: the one-tap link, and the hotline's 回访 call.

Both go through the workflow's own actions (``follow_up`` then, for 不满意, ``reopen``) by way of
``run_transition``, exactly as the chat does, so the rules (who may rate, from which state, what
不满意 does) stay in the transition table. A second rating of the same answer is refused by that
table (the ticket is no longer 已办结); this module only words the refusal for people.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from ticketing.core.errors import ApiError
from ticketing.domain.followup import RATED, UNREACHABLE
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import RATINGS, RESIDENT, RESOLVED, STAFF, SYSTEM, UNSATISFIED
from ticketing.domain.workflow import Command
from ticketing.models.rating import FollowUpCall, RatingLink
from ticketing.models.tickets import Ticket
from ticketing.services import rating_links as links
from ticketing.services.tickets import get_ticket
from ticketing.services.transitions import run_transition
from ticketing.store.followup import current_resolution

log = logging.getLogger(__name__)
LINK_ACTOR = "市民（评价链接）"
LINK_REOPEN_ACTOR = "12345评价页面"
PHONE_SUFFIX = "（电话回访）"
COMMENT_MAX = 500
RATED_NOW, REOPENED, OTHER_TICKET, INVALID = "rated", "reopened", "other_ticket", "invalid"


@dataclass(frozen=True)
class RatingOutcome:
    """What happened: ``rated`` / ``reopened``, or why nothing changed (a ``rating_links`` status)."""

    status: str
    ticket: Ticket | None = None
    rating: str | None = None
    link: RatingLink | None = None

    @property
    def changed(self) -> bool:
        return self.status in (RATED_NOW, REOPENED)


def rate_answer(factory: sessionmaker, *, number: str, rating: str, comment: str | None, actor: str, role: str,
                reopen_actor: str, reopen_role: str, rules: Rules, now: datetime) -> tuple[Ticket, bool]:
    """``follow_up`` with the rating; for 不满意 also ``reopen`` (重办). Returns (ticket, reopened).

    Raises the workflow's ``ApiError`` when the rating is refused. A failed reopen after a recorded
    不满意 is logged and left to staff (the ticket shows 不满意 and the 重办 button), as in the chat."""
    ticket, _ = run_transition(factory, number=number, rules=rules, now=now, command=Command(
        action="follow_up", actor=actor, role=role, rating=rating, note=comment or None))
    if rating != UNSATISFIED:
        return ticket, False
    reason = f"市民不满意：{comment}" if comment else "市民对答复不满意"
    try:
        ticket, _ = run_transition(factory, number=number, rules=rules, now=now, command=Command(
            action="reopen", actor=reopen_actor, role=reopen_role, reason=reason))
    except ApiError as exc:
        log.warning("rating of %s recorded but reopen refused: %s", number, exc.code)
        return ticket, False
    return ticket, True


def rate_by_link(factory: sessionmaker, token: str, *, number: str, rating: str, comment: str, rules: Rules,
                 now: datetime, secret: str | None = None) -> RatingOutcome:
    """Rate through a one-tap link; any doubt about the link changes nothing and says why."""
    with factory() as session, session.begin():
        check = links.check_link(session, token, now, secret=secret)
        status = check.status if check.ticket is None or check.ticket.number == number else OTHER_TICKET
        if status == links.OK and rating not in RATINGS:
            return RatingOutcome(INVALID, check.ticket, link=check.link)
        if status != links.OK:
            links.note_refusal(session, check.link, now)
            return RatingOutcome(status, check.ticket, link=check.link)
        link_id = check.link.id  # type: ignore[union-attr]
    try:
        ticket, reopened = rate_answer(factory, number=number, rating=rating, comment=_clean(comment),
                                       actor=LINK_ACTOR, role=RESIDENT, reopen_actor=LINK_REOPEN_ACTOR,
                                       reopen_role=SYSTEM, rules=rules, now=now)
    except ApiError:  # rated a moment ago elsewhere (chat, phone, a second tab): the table refused
        with factory() as session, session.begin():
            check = links.check_link(session, token, now, secret=secret)
            links.note_refusal(session, check.link, now)
        status = links.ALREADY_RATED if check.status == links.OK else check.status
        return RatingOutcome(status, check.ticket, link=check.link)
    with factory() as session, session.begin():
        links.mark_used(session, link_id, rating, now)
    return RatingOutcome(REOPENED if reopened else RATED_NOW, ticket, rating)


def record_phone_rating(factory: sessionmaker, *, number: str, rating: str, comment: str, staff_name: str,
                        username: str, rules: Rules, now: datetime) -> tuple[Ticket, bool]:
    """A 回访 call that got a rating: the same ``follow_up`` (actor marked 电话回访), then the call row."""
    with factory() as session:
        ticket = get_ticket(session, number)
        resolution = current_resolution(session, ticket.id)
    ticket, reopened = rate_answer(factory, number=number, rating=rating, comment=_clean(comment),
                                   actor=staff_name + PHONE_SUFFIX, role=STAFF, reopen_actor=staff_name,
                                   reopen_role=STAFF, rules=rules, now=now)
    if resolution is not None:
        with factory() as session, session.begin():
            session.add(FollowUpCall(ticket_id=ticket.id, resolution_event_id=resolution.id, at=now,
                                     username=username, outcome=RATED, rating=rating, note=_clean(comment)))
    return ticket, reopened


def record_unreachable(factory: sessionmaker, *, number: str, note: str, staff_name: str, username: str,
                       rules: Rules, now: datetime) -> int:
    """A 回访 call that reached nobody: a call row, and an internal note in the history. Returns the
    number of failed calls about the current answer."""
    with factory() as session, session.begin():
        ticket = get_ticket(session, number)
        resolution = current_resolution(session, ticket.id)
        if ticket.state != RESOLVED or ticket.rating is not None or resolution is None:
            raise ApiError(409, "not_awaiting_followup", "该工单已评价或不在待回访状态，无需再登记回访结果。")
        session.add(FollowUpCall(ticket_id=ticket.id, resolution_event_id=resolution.id, at=now,
                                 username=username, outcome=UNREACHABLE, note=_clean(note)))
        session.flush()
        count = len(list(session.scalars(select(FollowUpCall.id).where(
            FollowUpCall.resolution_event_id == resolution.id, FollowUpCall.outcome == UNREACHABLE))))
    text = f"电话回访：无法联系（第 {count} 次）" + (f"；{_clean(note)}" if note and note.strip() else "")
    run_transition(factory, number=number, rules=rules, now=now, command=Command(
        action="internal_note", actor=staff_name + PHONE_SUFFIX, role=STAFF, note=text))
    return count


def _clean(text: str | None) -> str | None:
    """Comments are stored as typed (markup is escaped where shown), trimmed to a sane length."""
    text = (text or "").strip()
    return text[:COMMENT_MAX] or None
