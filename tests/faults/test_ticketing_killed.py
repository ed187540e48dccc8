"""The ticketing service killed while the bot is filing a resident's ticket.

The real Rasa model, action server and ticketing service (SQLite) run as the suite's SystemUnderTest.
A resident reaches the summary, then the service dies in three ways:

- killed (SIGKILL) just before the resident sends 确认: the action cannot connect at all;
- frozen (SIGSTOP) before 确认 and killed once the action's POST sits in its accept queue: the POST was
  in flight and is lost with the process;
- the database stalls so the POST commits only after the bot gave up and told the resident, and then
  the service is killed: the ticket exists although the resident heard it was not filed.

Each time the resident must be told plainly, in Chinese, that the ticket is not filed yet and what to
do; after the restart "重新提交" must give exactly one ticket under the conversation's idempotency key,
also when the first POST had in fact committed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import requests

from actions.replies import TICKETING_DOWN, TICKETING_UNSURE
from launcher import processes
from tests.faults.report import FaultReport, Section
from tests.support.waiting import wait_for
from tests.support.chat import ASKS_CONFIRMATION, ASKS_PLACE, CJK, TICKET_NUMBER, Resident
from tests.support.system import SystemUnderTest

pytestmark = pytest.mark.rasa

COMPLAINTS = {
    "killed": ("光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑", "洪山区光谷大道和高新大道路口"),
    "in_flight": ("我们小区门口的垃圾好几天没人清运了，臭气熏天", "江汉区解放大道688号附近的幸福小区"),
    "committed": ("沿江大道人行道上的井盖松动了，踩上去会晃", "江岸区沿江大道江汉关附近"),
}


def _reach_summary(resident: Resident, complaint: str, place: str) -> str:
    reply = resident.say(complaint)
    for _ in range(3):
        if ASKS_CONFIRMATION.search(reply):
            return reply
        if not ASKS_PLACE.search(reply):
            break
        reply = resident.say(place)
    assert ASKS_CONFIRMATION.search(reply), f"never reached the summary: {resident.transcript}"
    return reply


def _accept_queue(port: int) -> int:
    """Connections waiting in the listening socket's accept queue (rx_queue of a LISTEN row)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
            return int(fields[4].split(":")[1], 16)
    return 0


def _stored(stack: SystemUnderTest, conversation: str) -> list[tuple[str, str]]:
    """(number, idempotency key) of every ticket of one conversation, read from the database itself."""
    with sqlite3.connect(stack.workdir / "tickets.db", timeout=30) as db:
        return db.execute("SELECT number, idempotency_key FROM tickets WHERE conversation_id = ? ORDER BY id",
                          (conversation,)).fetchall()


def _ticketing(stack: SystemUnderTest) -> processes.RunningService:
    return stack.running["ticketing"]


def _told_not_filed(reply: str) -> bool:
    """No attempt reached the service: "尚未登记成功" is true."""
    return TICKETING_DOWN in reply and not TICKET_NUMBER.search(reply)


def _told_not_confirmed(reply: str) -> bool:
    """The POST reached the service before it went silent: the bot cannot know, and says so."""
    return TICKETING_UNSURE in reply and not TICKET_NUMBER.search(reply)


class Outcome:
    """What one resident saw and what the database holds afterwards, for the report."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: list[str] = []
        self.counts: dict[str, object] = {}


def _resubmit_and_count(stack: SystemUnderTest, resident: Resident, outcome: Outcome) -> tuple[str, list[tuple[str, str]]]:
    stack.ensure_ticketing()
    reply = resident.say("重新提交")
    outcome.seen.append(f"after restart, 重新提交 → {reply[:60]}…")
    number = resident.ticket_number(reply)
    rows = _stored(stack, resident.sender)
    outcome.counts.update({"确认 sent": 1, "重新提交 sent": 1, "tickets stored for the conversation": len(rows),
                           "distinct idempotency keys": len({key for _, key in rows}),
                           "duplicates": len(rows) - len({key for _, key in rows})})
    return number, rows


def _report(fault_report: FaultReport, outcomes: list[Outcome]) -> None:
    section = Section("Ticketing service killed while the bot is filing")
    for outcome in outcomes:
        for name, value in outcome.counts.items():
            section.counts[f"{outcome.name}: {name}"] = value
        section.notes.extend(f"{outcome.name}: {seen}" for seen in outcome.seen)
    fault_report.add(section)


@pytest.fixture(scope="module")
def outcomes(fault_report: FaultReport) -> list[Outcome]:
    gathered: list[Outcome] = []
    yield gathered
    _report(fault_report, gathered)


@pytest.fixture
def filing_stack(stack: SystemUnderTest, rasa_url: str) -> SystemUnderTest:
    """The session's system, with the ticketing service running again after each test whatever happened."""
    yield stack
    service = stack.running.get("ticketing")
    if service is not None and service.process.poll() is None:
        os.killpg(service.process.pid, signal.SIGCONT)
    stack.ensure_ticketing()


def test_killed_before_confirmation_is_told_and_resubmitted_once(filing_stack: SystemUnderTest, rasa_url: str,
                                                                 outcomes: list[Outcome]) -> None:
    outcome = Outcome("killed before 确认")
    outcomes.append(outcome)
    resident = Resident(rasa_url)
    _reach_summary(resident, *COMPLAINTS["killed"])
    processes.kill(_ticketing(filing_stack))
    reply = resident.say("确认")
    outcome.seen.append(f"确认 → {reply}")
    assert _told_not_filed(reply), resident.transcript
    assert _stored(filing_stack, resident.sender) == []
    number, rows = _resubmit_and_count(filing_stack, resident, outcome)
    assert [n for n, _ in rows] == [number], f"expected exactly one ticket {number}, stored: {rows}"


def test_killed_with_the_post_in_flight_is_told_and_resubmitted_once(filing_stack: SystemUnderTest, rasa_url: str,
                                                                     outcomes: list[Outcome]) -> None:
    outcome = Outcome("killed with the POST in flight")
    outcomes.append(outcome)
    resident = Resident(rasa_url)
    _reach_summary(resident, *COMPLAINTS["in_flight"])
    service = _ticketing(filing_stack)
    port = filing_stack.config.ticketing_port
    os.killpg(service.process.pid, signal.SIGSTOP)
    replies: list[str] = []
    turn = threading.Thread(target=lambda: replies.append(resident.say("确认")))
    turn.start()
    waited = wait_for(lambda: _accept_queue(port) > 0, timeout=20)
    arrived = _accept_queue(port)
    processes.kill(service)
    turn.join(timeout=60)
    assert waited, "the action's POST never reached the frozen service"
    assert replies, "the resident got no answer within 60 s"
    outcome.seen.append(f"POST waiting in the accept queue when killed: {arrived} connection(s)")
    outcome.seen.append(f"确认 → {replies[0]}")
    assert _told_not_confirmed(replies[0]), resident.transcript
    # A resident may well answer 确认 again instead of 重新提交: see what the bot makes of it.
    filing_stack.ensure_ticketing()
    again = resident.say("确认")
    outcome.seen.append(f"after restart, 确认 again → {again}")
    assert CJK.search(again), resident.transcript
    if TICKET_NUMBER.search(again):
        number, rows = resident.ticket_number(again), _stored(filing_stack, resident.sender)
        outcome.counts.update({"确认 sent": 2, "tickets stored for the conversation": len(rows),
                               "duplicates": len(rows) - len({key for _, key in rows})})
    else:
        number, rows = _resubmit_and_count(filing_stack, resident, outcome)
        outcome.counts["确认 sent"] = 2
    assert [n for n, _ in rows] == [number], f"expected exactly one ticket {number}, stored: {rows}"


def test_committed_before_the_kill_is_not_filed_twice(filing_stack: SystemUnderTest, rasa_url: str,
                                                      outcomes: list[Outcome]) -> None:
    """The database write lock is held until the bot gives up (3 attempts x 10 s read timeout)."""
    outcome = Outcome("committed after the bot gave up, then killed")
    outcomes.append(outcome)
    resident = Resident(rasa_url)
    _reach_summary(resident, *COMPLAINTS["committed"])
    lock = sqlite3.connect(filing_stack.workdir / "tickets.db", timeout=30, isolation_level=None)
    began = time.monotonic()
    try:
        lock.execute("BEGIN IMMEDIATE")
        reply = resident.say("确认")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    outcome.seen.append(f"确认 answered after {time.monotonic() - began:.0f} s of stalled database → {reply}")
    assert _told_not_confirmed(reply), resident.transcript
    committed = wait_for(lambda: bool(_stored(filing_stack, resident.sender)), timeout=15)
    first = _stored(filing_stack, resident.sender)
    processes.kill(_ticketing(filing_stack))
    assert committed, "the stalled POST never committed; the scenario did not happen"
    outcome.seen.append(f"stored before the kill; the resident had been told it could not be confirmed: {first[0][0]}")
    number, rows = _resubmit_and_count(filing_stack, resident, outcome)
    outcome.counts["told 'cannot confirm', and indeed stored"] = 1
    assert number == first[0][0], f"重新提交 answered {number}, but {first[0][0]} was already filed"
    assert [n for n, _ in rows] == [number], f"expected exactly one ticket {number}, stored: {rows}"

