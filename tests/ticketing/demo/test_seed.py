"""Demo seeding: consistent histories through the real workflow, deterministic, refuses to repeat."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.store.schema import migrate
from ticketing.models.tickets import Ticket
from ticketing.demo.seed import seed
from ticketing.demo.texts import OWN_EXAMPLES, kind_of, localise
from ticketing.domain.vocabulary import STATES

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)


@pytest.fixture()
def empty_db(tmp_path) -> str:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    migrate(url)
    return url


def _tickets(url: str) -> list[Ticket]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        tickets = list(session.scalars(select(Ticket).order_by(Ticket.number)))
        for t in tickets:
            _ = t.events
    engine.dispose()
    return tickets


def test_seeded_histories_are_consistent(empty_db: str) -> None:
    assert seed(empty_db, 120, seed_value=7, now=NOW) == 120
    tickets = _tickets(empty_db)
    assert len(tickets) == 120 and len({t.number for t in tickets}) == 120
    assert len({t.state for t in tickets}) >= 4 and {t.state for t in tickets} <= set(STATES)
    for t in tickets:
        assert [e.seq for e in t.events] == list(range(1, len(t.events) + 1))
        assert t.events[0].action == "create" and t.events[0].at == t.created_at
        assert all(a.at <= b.at for a, b in zip(t.events, t.events[1:])) and t.events[-1].at <= NOW
        moved = [e for e in t.events if e.to_state]
        assert moved[-1].to_state == t.state
        assert all(a.to_state == b.from_state for a, b in zip(moved, moved[1:]) if b.from_state)


def test_seed_is_deterministic_and_refuses_to_repeat(empty_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = f"sqlite:///{tmp_path / 'other.db'}"
    migrate(other)
    seed(empty_db, 40, seed_value=3, now=NOW)
    seed(other, 40, seed_value=3, now=NOW)
    assert [(t.number, t.state, t.description) for t in _tickets(empty_db)] == \
        [(t.number, t.state, t.description) for t in _tickets(other)]
    assert seed(empty_db, 40, seed_value=3, now=NOW) == 0
    assert seed(empty_db, 10, seed_value=3, now=NOW, force=True) == 10
    assert len(_tickets(empty_db)) == 50


def test_texts_read_as_wuhan() -> None:
    assert localise("A市A3区某小区", "江汉区") == "武汉市江汉区某小区"
    assert kind_of("想咨询一下社保怎么交") == "咨询" and kind_of("路灯坏了") == "投诉"
    assert all(s.text and s.category for s in OWN_EXAMPLES)


def test_without_the_shared_data_our_own_examples_are_used(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ticketing.demo.texts import load_sources

    assert load_sources(tmp_path / "missing.csv") == list(OWN_EXAMPLES)
