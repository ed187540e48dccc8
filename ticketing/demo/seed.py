"""Demo tickets for the console and dashboards: ``python -m ticketing.cli seed --count 300``.

Each ticket is created the way ``service.create_ticket`` does it (classification, place,
deadlines, routing) and then lives through the real state machine (``workflow.apply``) at
simulated times over the last weeks, so its history, deadlines and rates are consistent. Only
the storage is direct: tickets are built in memory and inserted in batches (one transaction per
1,000), which keeps 50,000 tickets to a few minutes. Deterministic for a given ``--seed`` and
``--now``; refuses to seed twice unless ``--force``.
"""
from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.timefmt import china_date, utcnow
from ticketing.demo.life import Life, live
from ticketing.demo.texts import DISTRICT_WEIGHTS, PLACES, Source, kind_of, load_sources, localise
from ticketing.domain import history
from ticketing.domain.place_keys import place_key
from ticketing.domain.rules import Rules, default_rules
from ticketing.domain.vocabulary import CREATE, PRIORITY_NORMAL, PRIORITY_URGENT, RECEIVED, SYSTEM
from ticketing.models.tickets import Ticket
from ticketing.services import tickets as service
from ticketing.store import numbering

KEY_PREFIX = "seed-"
BATCH = 1000
REPEAT_SHARE = 0.12  # share of tickets repeating an earlier complaint at the same place (hotspots)
REPEAT_OPENINGS = ("", "再次反映：", "同样的问题，", "我也是附近居民，", "问题还没有解决，")
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"


def already_seeded(session: Session) -> int:
    """How many demo tickets are there (their idempotency keys start with ``seed-``)."""
    return session.scalar(select(func.count()).select_from(Ticket)
                          .where(Ticket.idempotency_key.like(KEY_PREFIX + "%"))) or 0


def plan_times(rng: random.Random, count: int, now: datetime, weeks: int) -> list[datetime]:
    """Reception times over the last ``weeks``: more on weekdays and in the daytime, sorted."""
    times = []
    while len(times) < count:
        moment = now - timedelta(seconds=rng.uniform(0, weeks * 7 * 86400))
        local_hour = (moment.hour + 8) % 24
        weekday = (moment + timedelta(hours=8)).weekday()
        weight = (1.0 if 8 <= local_hour < 21 else 0.25) * (1.0 if weekday < 5 else 0.6)
        if rng.random() < weight:
            times.append(moment)
    return sorted(times)


def build(rng: random.Random, rules: Rules, source: Source, place: str, district: str, at: datetime,
          number: str, key: str) -> Ticket:
    """A received (and possibly auto-dispatched) ticket, as ``service._build`` makes it."""
    text = localise(source.text, district)
    suggestion = rules.classifier.suggest(text)
    category = suggestion.category if suggestion and suggestion.category[0] == source.category else [source.category]
    located = rules.places.resolve(place)
    danger = rules.classifier.emergency(text)
    urgent = danger is not None
    kind = kind_of(text)
    policy = rules.deadlines.select(kind=kind, category=category, urgent=urgent)
    due = rules.deadlines.compute(at, policy)
    anonymous = rng.random() < 0.15
    ticket = Ticket(
        number=number, state=RECEIVED, kind=kind, category_l1=category[0],
        category_l2=category[1] if len(category) > 1 else None, category_l3=category[2] if len(category) > 2 else None,
        category_source="keywords" if len(category) > 1 else "caller", description=text, place=place,
        district=located.district or district, place_key=place_key(place, located.district or district, text),
        adcode=located.adcode, channel=rng.choice(("chat", "phone", "phone", "web")),
        priority=PRIORITY_URGENT if urgent else PRIORITY_NORMAL, emergency=danger.number if danger else None,
        deadline_policy=policy, department_code=rules.router.default, sign_due_at=due.sign_due_at,
        resolve_due_at=due.resolve_due_at, warn_at=rules.deadlines.warning_time(at, due.resolve_due_at),
        created_at=at, updated_at=at, contact_name=None if anonymous else rng.choice(SURNAMES) + rng.choice("先生女士"),
        contact_phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}", anonymous=anonymous,
        idempotency_key=key, reopen_count=0, assists=[], events=[],
    )
    history.record(ticket, action=CREATE, at=at, actor=service.SYSTEM_ACTOR, role=SYSTEM, to_state=RECEIVED,
                   note="渠道：演示数据", data={"category_source": ticket.category_source, "deadline_policy": policy})
    service._dispatch(ticket, rules, rules.router.decide(category, ticket.district), at)
    return ticket


class Seeder:
    """Plans and writes one seeding run."""

    def __init__(self, factory: sessionmaker, rules: Rules, sources: list[Source], *, seed: int, now: datetime,
                 weeks: int = 8, run: str = "") -> None:
        self.factory, self.rules, self.sources = factory, rules, sources
        self.rng, self.now, self.weeks = random.Random(seed), now, weeks
        self.run = run or str(seed)
        self.topics: list[tuple[Source, str, str, Ticket]] = []

    def _place(self) -> tuple[str, str]:
        district = self.rng.choices(list(DISTRICT_WEIGHTS), weights=list(DISTRICT_WEIGHTS.values()))[0]
        street = self.rng.choice(PLACES[district])
        suffix = f"{self.rng.randint(1, 300)}号" if self.rng.random() < 0.5 else ""
        return district + street + suffix, district

    def _one(self, index: int, at: datetime, number: str) -> Ticket:
        key = f"{KEY_PREFIX}{self.run}-{index:06d}"
        if self.topics and self.rng.random() < REPEAT_SHARE:
            source, place, district, parent = self.rng.choice(self.topics[-40:])
            source = Source(self.rng.choice(REPEAT_OPENINGS) + source.text, source.category)
            ticket = build(self.rng, self.rules, source, place, district, at, number, key)
            live(ticket, Life(self.rng, self.rules, self.now), parent=parent)
            return ticket
        source = self.rng.choice(self.sources)
        place, district = self._place()
        ticket = build(self.rng, self.rules, source, place, district, at, number, key)
        live(ticket, Life(self.rng, self.rules, self.now))
        if self.rng.random() < 0.08:
            self.topics.append((source, place, district, ticket))
        return ticket

    def run_seed(self, count: int, progress: bool = False) -> int:
        """Write ``count`` tickets; returns how many were written."""
        times = plan_times(self.rng, count, self.now, self.weeks)
        with self.factory() as session:
            counters = numbering.issued_by_day(session)  # counter rows and PostgreSQL day sequences
        written = 0
        for start in range(0, count, BATCH):
            batch = [self._one(start + i, at, _number(counters, at)) for i, at in enumerate(times[start:start + BATCH])]
            with self.factory() as session, session.begin():
                # Small multi-row INSERTs: psycopg parses each statement's placeholders, and a
                # 1,000-row statement costs far more than ten 100-row ones.
                session.connection(execution_options={"insertmanyvalues_page_size": 100})
                session.add_all(batch)
                numbering.reserve_up_to(session, counters)  # new live tickets never collide
            written += len(batch)
            if progress:
                print(f"  {written:,} / {count:,} tickets", file=sys.stderr, flush=True)
        return written


def _number(counters: dict[str, int], at: datetime) -> str:
    day = china_date(at).strftime("%Y%m%d")
    counters[day] = counters.get(day, 0) + 1
    return f"{day}-{counters[day]:06d}"


def seed(database_url: str, count: int, *, seed_value: int = 12345, force: bool = False,
         now: datetime | None = None, progress: bool = False, rules: Rules | None = None) -> int:
    """Seed ``count`` demo tickets into ``database_url``; 0 when it already holds demo tickets."""
    engine = make_engine(database_url)
    try:
        factory = make_sessionmaker(engine)
        with factory() as session:
            if already_seeded(session) and not force:
                return 0
        run = f"{seed_value}-{utcnow():%Y%m%d%H%M%S}" if force else str(seed_value)
        seeder = Seeder(factory, rules or default_rules(), load_sources(), seed=seed_value,
                        now=now or utcnow(), run=run)
        return seeder.run_seed(count, progress)
    finally:
        engine.dispose()

