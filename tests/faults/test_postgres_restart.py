"""PostgreSQL restarted (cleanly and by crash) while residents' tickets stream in.

The ticketing service runs as `make run` starts it (uvicorn, migrations applied) against a private
PostgreSQL cluster the test owns, so restarting it disturbs no one else. Several client threads file
tickets through the bot's own client (`actions/ticketing_client.py`: same Idempotency-Key on every
retry); meanwhile the database is restarted, crashed (``-m immediate``) and stopped for a while.

Afterwards: every ticket a client was promised (a 2xx with a number) exists exactly once under its
key; a client that was told "unavailable" and tries again later (the resident's "重新提交") gets one
ticket, never two; every ticket's history is whole; while the database was down the service answered
quickly with a 503 and a Chinese message, and it recovered without being restarted.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from actions.ticketing_client import TicketingClient, TicketingError, TicketingUnavailable
from launcher import processes
from launcher.paths import REPO
from launcher.stack import StackConfig, migrate_database, ticketing_spec
from tests.faults.report import FaultReport, Section
from tests.support.ports import free_port
from tests.support.private_postgres import PostgresUnavailable, PrivatePostgres
from ticketing.models.tickets import Ticket, TicketEvent

pytestmark = pytest.mark.postgres

CLIENT_THREADS = 6
PACE_S = 0.05  # pause between one client's filings: residents do not fire back to back
TOLD_PAUSE_S = 0.3  # after "not filed yet" the next resident comes a little later
KEY_PREFIX = "fault-pg-"
PLACES = ["江汉区解放大道688号", "武昌区中南路地铁站C出口", "洪山区珞喻路", "江岸区沿江大道", "硚口区古田二路"]
PROBLEMS = ["路灯坏了好几天没人修", "小区门口垃圾堆了一周没人清运", "人行道上的井盖松动了",
            "夜里工地施工噪音太大", "公交站台的顶棚漏雨"]


@dataclass
class Filing:
    """One resident's filing: the key it used, what the client was told, what a later retry got."""

    key: str
    payload: dict[str, object]
    outcome: str = "pending"  # acked | unavailable | refused
    number: str | None = None
    retry_number: str | None = None
    retry_replayed: bool = False


@dataclass
class Wire:
    """Every HTTP answer the clients saw, with whether the database was down at that moment."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    bad_answers: list[str] = field(default_factory=list)  # 5xx that are not a clean 503 in Chinese
    slowest_s: float = 0.0

    def record(self, response: requests.Response, db_down: bool) -> None:
        elapsed = response.elapsed.total_seconds()
        with self.lock:
            self.statuses[f"{response.status_code}{' (db down)' if db_down else ''}"] += 1
            self.slowest_s = max(self.slowest_s, elapsed)
            if response.status_code >= 500 and not _clean_unavailable(response):
                self.bad_answers.append(f"{response.status_code} {response.text[:200]}")


def _clean_unavailable(response: requests.Response) -> bool:
    """A 503 in the API's error shape with a Chinese message, as a resident-facing client expects."""
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    message = str(error.get("message", ""))
    return response.status_code == 503 and any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.fixture(scope="module")
def private_pg() -> Iterator[PrivatePostgres]:
    try:
        cluster = PrivatePostgres().init()
        cluster.start()
    except PostgresUnavailable as error:
        pytest.skip(f"private PostgreSQL cluster unavailable: {error}")
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="module")
def service(private_pg: PrivatePostgres, artifacts: Path) -> Iterator[tuple[str, processes.RunningService]]:
    """The ticketing service started like `make run` does, on the private cluster."""
    config = StackConfig(ticketing_port=free_port(), database_url=private_pg.url)
    migrate_database(config)
    running = processes.start(ticketing_spec(config), REPO, artifacts / "logs" / "faults-postgres")
    try:
        processes.wait_ready(running)
        yield config.ticketing_url, running
    finally:
        processes.stop(running)


def _payload(index: int) -> dict[str, object]:
    rng = random.Random(index)
    return {"description": f"{rng.choice(PROBLEMS)}（第{index}次反映）", "place": rng.choice(PLACES),
            "kind": "投诉", "channel": "chat", "anonymous": True, "conversation_id": f"fault-pg-conv-{index}"}


def _file(client: TicketingClient, filing: Filing) -> None:
    try:
        ticket = client.create_ticket(filing.payload, filing.key)
    except TicketingUnavailable:
        filing.outcome = "unavailable"
    except TicketingError:
        filing.outcome = "refused"
    else:
        filing.outcome, filing.number = "acked", str(ticket["number"])


def test_ticket_stream_survives_postgres_restarts(private_pg: PrivatePostgres, service: tuple[str, processes.RunningService],
                                                 fault_report: FaultReport) -> None:
    url, running = service
    db_down = threading.Event()
    stop = threading.Event()
    wire = Wire()
    filings: list[Filing] = []
    filings_lock = threading.Lock()
    counter = iter(range(1_000_000))

    def client_loop() -> None:
        session = requests.Session()
        session.hooks["response"].append(lambda response, *a, **k: wire.record(response, db_down.is_set()))
        client = TicketingClient(url, session=session)
        while not stop.is_set():
            with filings_lock:
                index = next(counter)
                filing = Filing(f"{KEY_PREFIX}{uuid.uuid4().hex}", _payload(index))
                filings.append(filing)
            _file(client, filing)
            time.sleep(TOLD_PAUSE_S if filing.outcome == "unavailable" else PACE_S)

    health: Counter[str] = Counter()

    def health_probe() -> None:
        while not stop.is_set():
            try:
                answer = requests.get(f"{url}/api/health", timeout=5)
                health[f"{answer.status_code}{' (db down)' if db_down.is_set() else ''}"] += 1
            except requests.RequestException as error:
                health[type(error).__name__] += 1
            time.sleep(0.1)

    def outage(mode: str, down_s: float) -> float:
        db_down.set()
        began = time.monotonic()
        private_pg.stop(mode)
        time.sleep(down_s)
        private_pg.start()
        db_down.clear()
        return time.monotonic() - began

    threads = [threading.Thread(target=client_loop) for _ in range(CLIENT_THREADS)]
    threads.append(threading.Thread(target=health_probe))
    for thread in threads:
        thread.start()
    outages: list[str] = []
    try:
        time.sleep(1.0)
        outages.append(f"restart (pg_ctl -m fast): {outage('fast', 0):.2f} s without database")
        time.sleep(1.0)
        outages.append(f"crash (pg_ctl -m immediate) then start: {outage('immediate', 0):.2f} s without database")
        time.sleep(1.0)
        outages.append(f"stop (pg_ctl -m fast), down 1.5 s, start: {outage('fast', 1.5):.2f} s without database")
        time.sleep(1.5)
    finally:
        stop.set()
        db_down.clear()
        if not private_pg.is_running():
            private_pg.start()
        for thread in threads:
            thread.join(timeout=60)

    assert running.process.poll() is None, "the ticketing service died while the database was restarted"

    # The residents who were told "not filed yet" send 重新提交: the same key, the database now up.
    assert requests.get(f"{url}/api/health", timeout=5).status_code == 200, "service did not recover by itself"
    told = [f for f in filings if f.outcome == "unavailable"]
    for filing in told:
        response = requests.post(f"{url}/api/tickets", json=filing.payload, headers={"Idempotency-Key": filing.key},
                                 timeout=10)
        assert response.status_code in (200, 201), f"retry after the outage failed: {response.status_code} {response.text[:300]}"
        filing.retry_number = response.json()["number"]
        filing.retry_replayed = response.headers.get("Idempotent-Replayed") == "true"

    engine = create_engine(private_pg.url)
    try:
        with Session(engine) as session:
            tickets = session.scalars(select(Ticket).where(Ticket.idempotency_key.like(f"{KEY_PREFIX}%"))).all()
            by_key = Counter(t.idempotency_key for t in tickets)
            stored = {t.idempotency_key: t for t in tickets}
            broken_history = []
            for ticket in tickets:
                events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                                         .order_by(TicketEvent.seq)).all()
                seqs = [e.seq for e in events]
                if (seqs != list(range(1, len(seqs) + 1)) or events[0].action != "create"
                        or events[-1].to_state != ticket.state):
                    broken_history.append(ticket.number)
            total_rows = session.scalar(select(func.count()).select_from(Ticket)) or 0
    finally:
        engine.dispose()

    acked = [f for f in filings if f.outcome == "acked"]
    refused = [f for f in filings if f.outcome == "refused"]
    lost = [f.key for f in acked if f.key not in stored]
    wrong_number = [f.key for f in acked if f.key in stored and stored[f.key].number != f.number]
    duplicates = {key: n for key, n in by_key.items() if n > 1}
    told_but_stored = [f for f in told if f.retry_replayed]
    retry_mismatch = [f.key for f in told if f.key in stored and stored[f.key].number != f.retry_number]
    fault_report.add(Section("PostgreSQL restarted during a stream of ticket creations", {
        "filings sent (distinct idempotency keys)": len(filings),
        "acknowledged with a ticket number (2xx)": len(acked),
        "told unavailable after the client's 3 attempts": len(told),
        "refused (4xx)": len(refused),
        "stored tickets with these keys (after the residents' retries)": len(tickets),
        "acknowledged but missing": len(lost),
        "duplicate tickets for one key": sum(n - 1 for n in duplicates.values()),
        "told unavailable, retry found the ticket already stored": len(told_but_stored),
        "tickets with broken history": len(broken_history),
        "HTTP answers seen by the clients": dict(sorted(wire.statuses.items())),
        "5xx answers that were not a clean 503 in Chinese": len(wire.bad_answers),
        "health probe answers": dict(sorted(health.items())),
        "slowest single answer (s)": round(wire.slowest_s, 2),
    }, notes=[*outages, f"{CLIENT_THREADS} client threads, {PACE_S * 1000:.0f} ms pause between filings; "
              f"rows in the tickets table: {total_rows}"]))

    assert acked, "no filing succeeded at all"
    assert not refused, f"{len(refused)} filings were refused with 4xx"
    assert not lost, f"acknowledged tickets missing after the restarts: {lost[:5]}"
    assert not wrong_number, f"a key maps to another number than the one acknowledged: {wrong_number[:5]}"
    assert not duplicates, f"several tickets for one key: {list(duplicates.items())[:5]}"
    assert not retry_mismatch, f"a retry returned another ticket than the stored one: {retry_mismatch[:5]}"
    assert len(tickets) == len(filings), "every filing ends as exactly one ticket once the residents retried"
    assert not broken_history, f"tickets whose history is not 1..n from create to their state: {broken_history[:5]}"
    assert not wire.bad_answers, f"while the database was down the service answered badly: {wire.bad_answers[:3]}"
    assert wire.slowest_s < 5, f"an answer took {wire.slowest_s:.1f} s: the service hangs without its database"
