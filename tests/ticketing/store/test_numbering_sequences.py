"""Ticket numbers from a PostgreSQL sequence per China day (ticketing/store/numbering.py), on real PostgreSQL:
racing creators, the day rollover, seeding then creating, a switch from the old counter row, replays."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from ticketing.store import numbering

from ticketing.services import tickets as service
from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.models.tickets import Ticket, TicketCounter
from ticketing.domain.rules import default_rules
from ticketing.domain.new_ticket import TicketCreate
from ticketing.demo.seed import seed

pytestmark = pytest.mark.postgres

RULES = default_rules()


@pytest.fixture()
def factory(pg_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(pg_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def _create(factory, at: datetime, i: int, key: str | None = None) -> service.Created:  # type: ignore[no-untyped-def]
    data = TicketCreate(description=f"路灯不亮 #{i}", channel="chat")
    return service.create_ticket(factory, data=data, rules=RULES, idempotency_key=key, now=at)


def _seq(number: str) -> int:
    return int(number.split("-")[1])


def test_racing_creators_get_distinct_consecutive_numbers_from_a_sequence(factory) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2031, 3, 3, 2, 0, tzinfo=timezone.utc)  # a day no other test uses
    with ThreadPoolExecutor(max_workers=12) as pool:
        numbers = list(pool.map(lambda i: _create(factory, at, i).ticket.number, range(120)))
    assert all(n.startswith("20310303-") for n in numbers)
    assert sorted(map(_seq, numbers)) == list(range(1, 121))
    with factory() as session:
        assert numbering.issued_today(session, at) == 120
        assert session.scalar(text("SELECT count(*) FROM pg_sequences WHERE sequencename = 'ticket_no_20310303'")) == 1
        # the counter row is no longer touched on PostgreSQL: nothing is locked until the commit
        assert session.get(TicketCounter, "20310303") is None


def test_sequence_holds_no_lock_until_commit(factory) -> None:  # type: ignore[no-untyped-def]
    """A creation whose transaction is still open does not make another creation of the same day wait."""
    at = datetime(2031, 3, 4, 2, 0, tzinfo=timezone.utc)
    numbering.prepare(factory.kw["bind"], at)
    with factory() as slow, slow.begin():
        held = numbering.next_number(slow, at)
        done = threading.Event()
        result: list[str] = []
        worker = threading.Thread(target=lambda: (result.append(_create(factory, at, 1).ticket.number), done.set()))
        worker.start()
        assert done.wait(10), "a second creation waited for the first one's commit"
        worker.join()
    assert _seq(result[0]) == _seq(held) + 1


def test_day_rollover_starts_at_one_in_china_time(factory) -> None:  # type: ignore[no-untyped-def]
    before = datetime(2031, 3, 5, 15, 59, 59, tzinfo=timezone.utc)  # 23:59:59 in China
    after = before + timedelta(seconds=1)  # 00:00:00 on the 6th in China
    first = [_create(factory, before, i).ticket.number for i in range(3)]
    second = [_create(factory, after, i).ticket.number for i in range(2)]
    assert first == ["20310305-000001", "20310305-000002", "20310305-000003"]
    assert second == ["20310306-000001", "20310306-000002"]


def test_rolled_back_numbers_leave_a_gap_never_a_duplicate(factory) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2031, 3, 7, 2, 0, tzinfo=timezone.utc)
    first = _create(factory, at, 1).ticket.number
    with factory() as session, session.begin():
        lost = numbering.next_number(session, at)
        session.rollback()
    third = _create(factory, at, 3).ticket.number
    assert (_seq(first), _seq(lost), _seq(third)) == (1, 2, 3)


def test_idempotent_replay_returns_the_same_ticket_and_takes_no_number(factory) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2031, 3, 8, 2, 0, tzinfo=timezone.utc)
    first = _create(factory, at, 1, key="numbering-replay-1")
    again = _create(factory, at, 1, key="numbering-replay-1")
    assert not first.replayed and again.replayed and again.ticket.number == first.ticket.number
    with factory() as session:
        assert numbering.issued_today(session, at) == _seq(first.ticket.number)


def test_racing_replays_of_one_key_file_one_ticket(factory) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2031, 3, 9, 2, 0, tzinfo=timezone.utc)
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: _create(factory, at, 1, key="numbering-race-1"), range(8)))
    assert len({o.ticket.number for o in outcomes}) == 1
    assert sum(not o.replayed for o in outcomes) == 1


def test_switch_from_the_counter_row_continues_after_it(factory) -> None:  # type: ignore[no-untyped-def]
    """A database whose day was numbered by the old counter row (or the seed) carries on after it."""
    at = datetime(2031, 3, 10, 2, 0, tzinfo=timezone.utc)
    with factory() as session, session.begin():
        session.add(TicketCounter(day="20310310", last=41))
    assert _create(factory, at, 1).ticket.number == "20310310-000042"


def test_a_lost_counter_still_never_repeats_a_number(factory) -> None:  # type: ignore[no-untyped-def]
    """The new sequence starts after the day's highest ticket even with no counter row at all."""
    at = datetime(2031, 3, 11, 2, 0, tzinfo=timezone.utc)
    with factory() as session, session.begin():
        session.add(Ticket(number="20310311-000007", state="已受理", kind="投诉", description="旧工单", channel="web",
                           priority="普通", deadline_policy="ordinary", department_code="hotline",
                           sign_due_at=at, resolve_due_at=at, created_at=at, updated_at=at))
    assert _create(factory, at, 1).ticket.number == "20310311-000008"


def test_seeding_then_creating_never_collides(pg_url: str, factory) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2031, 4, 1, 4, 0, tzinfo=timezone.utc)  # noon in China
    live = _create(factory, now, 0).ticket.number  # the day's sequence exists before the seed runs
    assert seed(pg_url, 60, seed_value=5, now=now, force=True) == 60
    later = [_create(factory, now, i).ticket.number for i in range(1, 4)]
    with factory() as session:
        today = session.scalars(text("SELECT number FROM tickets WHERE number LIKE '20310401-%'")).all()
    assert len(today) == len(set(today)) and live in today and set(later) <= set(today)
    assert min(map(_seq, later)) > max(_seq(n) for n in today if n not in later)
    # a day the seed numbered but no live creation has touched yet starts after the seeded numbers
    with factory() as session:
        seeded = sorted(session.scalars(text(
            "SELECT number FROM tickets WHERE number < '20310401' AND idempotency_key LIKE 'seed-%'")).all())
    day = seeded[-1].split("-")[0]
    moment = datetime.strptime(day, "%Y%m%d").replace(hour=4, tzinfo=timezone.utc)
    highest = max(_seq(n) for n in seeded if n.startswith(day))
    assert _seq(_create(factory, moment, 9).ticket.number) == highest + 1
