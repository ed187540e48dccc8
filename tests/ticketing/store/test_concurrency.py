"""Under concurrency: 1,000 tickets from 20 threads get distinct consecutive numbers and gap-free histories,
and two actions racing on one ticket end in exactly one success (PostgreSQL)."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from ticketing.services import tickets as service
from ticketing.app import create_app
from ticketing.models.tickets import Ticket, TicketEvent
from ticketing.core.errors import ApiError
from ticketing.domain.rules import default_rules
from ticketing.domain.new_ticket import TicketCreate
from ticketing.core.settings import Settings
from ticketing.services.transitions import run_transition
from ticketing.domain.workflow import Command
from tests.support import postgres_db

pytestmark = pytest.mark.postgres

TEXTS = ["路灯不亮", "噪音扰民", "说不清的事", "停水了", "拖欠工资"]


def _fresh(pg_url: str):  # type: ignore[no-untyped-def]
    app = create_app(Settings(database_url=pg_url))
    with app.state.engine.begin() as conn:
        postgres_db.empty_tables(conn)  # every table, children too (outbox, rating links)
    return app


def test_thousand_tickets_from_twenty_threads(pg_url) -> None:
    app = _fresh(pg_url)
    rules, factory = default_rules(), app.state.sessions

    def create(i: int) -> str:
        data = TicketCreate(description=f"{TEXTS[i % len(TEXTS)]} #{i}", channel="chat")
        key = f"load-{i}" if i % 2 else None
        return service.create_ticket(factory, data=data, rules=rules, idempotency_key=key).ticket.number

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(create, range(1000)))
        replays = list(pool.map(create, range(1, 200, 2)))  # same keys again: replays, no new tickets
    assert len(set(numbers)) == 1000
    assert set(replays) <= set(numbers)
    by_day: dict[str, list[int]] = {}
    for number in numbers:
        day, seq = number.split("-")
        by_day.setdefault(day, []).append(int(seq))
    for seqs in by_day.values():  # per day consecutive (no creation rolled back here, so no gaps)
        assert sorted(seqs) == list(range(min(seqs), min(seqs) + len(seqs)))
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1000
        rows = session.execute(select(TicketEvent.ticket_id, func.count(), func.min(TicketEvent.seq),
                                      func.max(TicketEvent.seq)).group_by(TicketEvent.ticket_id)).all()
    assert len(rows) == 1000
    assert all(lo == 1 and hi == count for _, count, lo, hi in rows)
    app.state.engine.dispose()


def test_racing_actions_on_one_ticket(pg_url) -> None:
    app = _fresh(pg_url)
    rules, factory = default_rules(), app.state.sessions
    ticket = service.create_ticket(factory, data=TicketCreate(description="路灯坏了"), rules=rules).ticket
    command = Command(action="sign", actor="并发测试", role="department", department=ticket.department_code)

    def sign(_: int) -> str:
        try:
            run_transition(factory, number=ticket.number, command=command, rules=rules)
            return "ok"
        except ApiError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(sign, range(20)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"concurrent_update", "transition_not_allowed"}
    with factory() as session:
        seqs = session.scalars(select(TicketEvent.seq).join(Ticket).where(Ticket.number == ticket.number)).all()
    assert sorted(seqs) == [1, 2, 3]
    app.state.engine.dispose()
