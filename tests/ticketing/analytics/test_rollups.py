"""The figures' rollup equals a full recount after random workloads (PostgreSQL; skipped without it).

Each example files tickets through ``service.create_ticket`` at random times, then applies random
actions through ``run_transition`` (the state machine and its transactions, so the trigger sees
exactly the writes the service makes: dispatch, return, sign, extensions, resolve, rating, reopen,
archive, merge, reclassification, escalation). Then: the rollup table equals its own rebuild from the
tickets, and the figures read from it (``stats.period_counts``/``period_top``) equal the figures
counted from the tickets (``stats.grouped_counts``/``top_values``) for whole periods, a department
and weekly buckets, at a clock where some work is overdue.
"""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import sessionmaker

from tests.support import postgres_db
from ticketing.analytics import dashboard, rollup_figures, stats
from ticketing.core.errors import ApiError, TransitionError
from ticketing.core.timefmt import CHINA_TZ
from ticketing.demo.texts import OWN_EXAMPLES, PLACES
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.rules import default_rules
from ticketing.domain.vocabulary import CHANNELS, DEPARTMENT, KINDS, RATINGS, RESIDENT, STAFF, SYSTEM
from ticketing.domain.workflow import Command, allowed_actions
from ticketing.models.tickets import Ticket
from ticketing.services import tickets as service
from ticketing.services.transitions import run_transition
from ticketing.store import rollups

pytestmark = pytest.mark.postgres
RULES = default_rules()
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)
CATEGORIES = (("环境保护", "环境污染", "噪声污染"), ("交通运输",), ("城乡建设", "住房保障与房地产", "物业管理"),
              ("劳动和社会保障",))


@pytest.fixture(scope="module")
def factory() -> Iterator[sessionmaker]:
    with postgres_db.migrated_sessions("yijian_roll") as sessions:
        yield sessions


def _file(factory: sessionmaker, rng: random.Random, at: datetime) -> str:
    district = rng.choice(list(PLACES))
    data = TicketCreate(description=rng.choice(OWN_EXAMPLES).text, place=district + rng.choice(PLACES[district]),
                        channel=rng.choice(CHANNELS), kind=rng.choice(KINDS),
                        category=list(rng.choice(CATEGORIES)) if rng.random() < 0.5 else None)
    return service.create_ticket(factory, data=data, rules=RULES, now=at).ticket.number


def _command(rng: random.Random, ticket: Ticket, action: str, others: list[str]) -> Command | None:
    dept = ticket.department_code
    codes = [d.code for d in RULES.directory.all()]
    return {
        "dispatch": lambda: Command(action, "派单员", STAFF, target_department=rng.choice(codes)),
        "redispatch": lambda: Command(action, "派单员", STAFF, target_department=rng.choice(codes), reason="改派"),
        "return": lambda: Command(action, "承办人", DEPARTMENT, department=dept, reason="不属于本单位"),
        "sign": lambda: Command(action, "承办人", DEPARTMENT, department=dept),
        "request_extension": lambda: Command(action, "承办人", DEPARTMENT, department=dept, reason="需协调",
                                             requested_due_at=ticket.resolve_due_at + timedelta(days=3)),
        "approve_extension": lambda: Command(action, "派单员", STAFF),
        "refuse_extension": lambda: Command(action, "派单员", STAFF, reason="可按期办理"),
        "resolve": lambda: Command(action, "承办人", DEPARTMENT, department=dept, reply="已处理"),
        "follow_up": lambda: Command(action, "市民", RESIDENT, rating=rng.choice(RATINGS)),
        "reopen": lambda: Command(action, "派单员", STAFF, reason="市民不满意"),
        "archive": lambda: Command(action, "系统", SYSTEM),
        "merge": lambda: Command(action, "派单员", STAFF, parent_number=rng.choice(others)),
        "reclassify": lambda: Command(action, "派单员", STAFF, category=rng.choice(CATEGORIES)),
        "escalate": lambda: Command(action, "系统", SYSTEM, reason="超期"),
    }.get(action, lambda: None)()


def _workload(factory: sessionmaker, rng: random.Random) -> None:
    moments = sorted(NOW - timedelta(hours=rng.uniform(1, 24 * 40)) for _ in range(rng.randint(4, 12)))
    numbers = [_file(factory, rng, at) for at in moments]
    clock = {n: at for n, at in zip(numbers, moments)}
    for _ in range(rng.randint(10, 60)):
        number = rng.choice(numbers)
        with factory() as session:
            ticket = session.scalar(select(Ticket).where(Ticket.number == number))
            actions = [t.action for t in allowed_actions(ticket)]
            command = _command(rng, ticket, rng.choice(actions), [n for n in numbers if n != number]) if actions else None
        if command is None:
            continue
        clock[number] = min(NOW, clock[number] + timedelta(hours=rng.uniform(0.1, 200)))
        try:
            run_transition(factory, number=number, command=command, rules=RULES, now=clock[number])
        except (ApiError, TransitionError):
            pass  # refused (a guard, a closed merge target): nothing changed, as in live use


def _rollup_rows(session) -> set[tuple]:  # type: ignore[no-untyped-def]
    measures = " OR ".join(f"{m} <> 0" for m in rollups.MEASURES)
    return set(session.execute(text(f"SELECT * FROM ticket_rollups WHERE {measures}")).all())


def _midnight(day) -> datetime:  # type: ignore[no-untyped-def]
    return datetime.combine(day, time(0), CHINA_TZ)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_rollup_equals_full_recount(factory: sessionmaker, seed: int) -> None:
    rng = random.Random(seed)
    with factory() as session, session.begin():
        postgres_db.empty_tables(session.connection())
    _workload(factory, rng)
    clock = NOW + timedelta(hours=rng.uniform(0, 24 * 10))  # some open work past its deadlines
    with factory() as session:
        assert rollup_figures.usable(session, _midnight(NOW.date()), _midnight(NOW.date()))
        kept = _rollup_rows(session)
        rollups.rebuild(session)
        assert _rollup_rows(session) == kept
        session.rollback()
        last = clock.astimezone(CHINA_TZ).date()
        for first, department in ((last - timedelta(days=60), None), (last - timedelta(days=12), None),
                                  (last - timedelta(days=60), RULES.router.default)):
            view = dashboard.View(first, last, department)
            starts = dashboard.week_starts(view)
            scanned = stats.grouped_counts(session, stats.period_filter(view.start, view.end, department), clock, starts)
            from_rollup = stats.period_counts(session, view.start, view.end, clock, starts, department)
            assert {k: v for k, v in from_rollup.items() if v != stats.Counts()} == \
                   {k: v for k, v in scanned.items() if v != stats.Counts()}
            for columns in (("category_l1", "category_l2", "category_l3"), ("district",)):
                expected = stats.top_values(session, stats.period_filter(view.start, view.end, department),
                                            [getattr(Ticket, c) for c in columns], 50)
                got = stats.period_top(session, view.start, view.end, department, columns, 50)
                assert sorted(got, key=repr) == sorted(expected, key=repr)


def test_figures_fall_back_to_counting_for_partial_days(factory: sessionmaker) -> None:
    start = datetime(2026, 11, 1, 3, 30, tzinfo=timezone.utc)  # not a China midnight
    with factory() as session:
        assert not rollup_figures.usable(session, start, start + timedelta(days=1))
