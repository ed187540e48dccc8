"""One Rasa instance, then one action server, killed mid-conversation in the production topology.

`ProdSystem` runs nginx in front of two Rasa (tracker in PostgreSQL, conversation locks in Redis),
two action servers and two ticketing workers. Residents talk through the front (Rasa's REST channel):

1. Six residents are mid-conversation: three were just asked where the problem is, three are at the
   summary; a seventh uses the chat page's widget in Chromium (socket.io, pinned by nginx to one
   instance). The ticketing workers are frozen so the three 确认 turns hang inside
   `action_file_ticket`, then the Rasa instance the widget is pinned to is killed (SIGKILL) and the
   workers thawed. Every later turn goes through nginx to the other instance: the residents continue
   with their complaint intact, a 确认 lost with the dead instance is sent again, and in the end every
   resident has exactly one ticket — also when the lost turn's action had already filed it.
2. Both action servers are frozen while two residents' turns wait on them, ``actions-a`` is killed and
   ``actions-b`` thawed: a call already sent to ``actions-a`` is lost (nginx does not repeat a sent
   POST) and its resident must be told so in Chinese; every later call goes to ``actions-b``.

The counts (turns sent, answered, failed and how, retries and their wait, tickets stored, duplicates)
go to the fault report.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.support.browser import CHROMIUM, chromium_page

from tests.faults.report import FaultReport, Section
from tests.support.waiting import wait_for
from tests.faults.sockets import waiting_requests
from tests.support.chat import ASKS_CONFIRMATION, CJK, TICKET_NUMBER
from tests.support.prod_system import ProdSystem, prod_unavailable

pytestmark = [pytest.mark.postgres, pytest.mark.rasa]

ASKS_PLACE = re.compile(r"哪里|地点|位置")
# (complaint without a place, the place given next, a word the summary must still show)
ASKED_WHERE = [
    ("我们小区门口的垃圾好几天没人清运了，臭气熏天", "江汉区解放大道688号附近的幸福小区", "垃圾"),
    ("楼下的路灯坏了好几天了，晚上走路很黑", "武昌区中南路12号", "路灯"),
    ("小区里的下水道堵了，污水都漫到路上了", "洪山区珞喻路1037号", "下水道"),
]
# (complaint, a place in case the bot asks for one)
AT_SUMMARY = [
    ("光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑", "洪山区光谷大道和高新大道路口"),
    ("沿江大道人行道上的井盖松动了，踩上去会晃", "江岸区沿江大道江汉关附近"),
    ("汉口火车站东广场的公共厕所坏了好几天，一直没人修", "江汉区汉口火车站东广场"),
]


@dataclass
class Turn:
    text: str
    status: int | None
    reply: str
    seconds: float
    error: str = ""

    @property
    def answered(self) -> bool:
        return self.status == 200 and bool(CJK.search(self.reply))


@dataclass
class Resident:
    """One conversation through the front; every turn kept with its HTTP status and time."""

    front_url: str
    sender: str = field(default_factory=lambda: f"fault-rasa-{uuid.uuid4().hex[:12]}")
    turns: list[Turn] = field(default_factory=list)

    def say(self, text: str) -> Turn:
        began = time.monotonic()
        try:
            response = requests.post(f"{self.front_url}/webhooks/rest/webhook",
                                     json={"sender": self.sender, "message": text}, timeout=150)
        except requests.RequestException as error:
            turn = Turn(text, None, "", time.monotonic() - began, f"{type(error).__name__}: {error}")
        else:
            try:
                reply = "\n".join(m.get("text", "") for m in response.json() if isinstance(m, dict))
            except ValueError:
                reply = ""
            turn = Turn(text, response.status_code, reply, time.monotonic() - began,
                        "" if response.ok else response.text[:120].replace("\n", " "))
        self.turns.append(turn)
        return turn

    def transcript(self) -> list[tuple[str, int | None, str]]:
        return [(t.text, t.status, t.reply or t.error) for t in self.turns]


def _reach_summary(resident: Resident, complaint: str, place: str) -> None:
    turn = resident.say(complaint)
    if ASKS_PLACE.search(turn.reply) and not ASKS_CONFIRMATION.search(turn.reply):
        turn = resident.say(place)
    assert ASKS_CONFIRMATION.search(turn.reply), f"never reached the summary: {resident.transcript()}"


def _signal_all(prod: ProdSystem, names: list[str], sig: signal.Signals) -> None:
    for name in names:
        os.killpg(prod.pid(name), sig)



def _access_log_since(prod: ProdSystem, offset: int) -> list[str]:
    return prod.nginx_access_log.read_text(encoding="utf-8", errors="replace")[offset:].splitlines()


def _passed_on(lines: list[str], path: str, dead_port: int) -> int:
    """Requests nginx first sent to the dead instance, then to the other one (``upstream=dead, other``)."""
    return sum(f'"POST {path} ' in line and f"upstream=127.0.0.1:{dead_port}, " in line for line in lines)


def _tickets(prod: ProdSystem, sender: str) -> list[tuple[str, str]]:
    return prod.tickets_sql("SELECT number, idempotency_key FROM tickets WHERE conversation_id = %s ORDER BY id",
                            sender)


WIDGET_COMPLAINT = ("我家附近的人行道砖松动了好多块，下雨天一踩一脚泥水", "汉阳区钟家村建港小区门口", "人行道")


class WidgetResident:
    """A resident in the chat page's widget (rasa-webchat over socket.io through nginx's front)."""

    def __init__(self, page, front_url: str) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.turns: list[Turn] = []
        page.goto(f"{front_url}/")
        page.locator(".rw-new-message").wait_for(timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.rw-response').length > 0", timeout=60_000)

    def _bot_messages(self) -> list[str]:
        return [text.strip() for text in self.page.locator(".rw-response").all_inner_texts()]

    def say(self, text: str, pattern: str, timeout_s: float = 120) -> Turn:
        """Type a message; wait for a bot message matching ``pattern`` (status 200 = it came)."""
        before = len(self._bot_messages())
        began = time.monotonic()
        box = self.page.locator(".rw-new-message")
        box.fill(text)
        box.press("Enter")
        regex = re.compile(pattern)
        while time.monotonic() - began < timeout_s:
            new = self._bot_messages()[before:]
            if any(regex.search(message) for message in new):
                turn = Turn(text, 200, "\n".join(new), time.monotonic() - began)
                break
            self.page.wait_for_timeout(250)
        else:
            new = self._bot_messages()[before:]
            turn = Turn(text, None, "\n".join(new), time.monotonic() - began, f"no reply matching {pattern}")
        self.turns.append(turn)
        return turn


def _socket_instance(prod: ProdSystem, log_offset: int) -> str | None:
    """The Rasa instance nginx pinned the widget's socket.io connection to (from the access log)."""
    names = {port: f"rasa-{x}" for port, x in zip(prod.config.rasa_ports, ("a", "b"))}
    for line in reversed(_access_log_since(prod, log_offset)):
        found = re.search(r"/socket\.io/.* upstream=127\.0\.0\.1:(\d+)", line)
        if found and int(found.group(1)) in names:
            return names[int(found.group(1))]
    return None


@pytest.fixture(scope="module")
def prod(artifacts: Path) -> Iterator[ProdSystem]:
    reason = prod_unavailable()
    if reason:
        pytest.skip(f"production topology cannot run here: {reason}")
    with ProdSystem(artifacts / "logs" / "faults-prod") as system:
        yield system


@pytest.fixture(scope="module")
def section(fault_report: FaultReport) -> Iterator[Section]:
    gathered = Section("One Rasa instance and one action server killed mid-conversation (production topology)")
    yield gathered
    fault_report.add(gathered)


def test_rasa_killed_mid_conversation(prod: ProdSystem, section: Section) -> None:
    if shutil.which(CHROMIUM):
        with chromium_page() as page:
            _rasa_killed_mid_conversation(prod, section, page)
    else:
        section.notes.append("Chromium missing: no widget resident in this run")
        _rasa_killed_mid_conversation(prod, section, None)


def _rasa_killed_mid_conversation(prod: ProdSystem, section: Section, page) -> None:  # type: ignore[no-untyped-def]
    widget_log = prod.nginx_access_log.stat().st_size
    widget = WidgetResident(page, prod.front_url) if page is not None else None
    if widget is not None:
        complaint, _, _ = WIDGET_COMPLAINT
        assert widget.say(complaint, r"哪里|地点|位置|确认无误").status == 200, widget.turns
    pinned = _socket_instance(prod, widget_log) if widget is not None else None
    dead = pinned or "rasa-a"
    survivor = "rasa-b" if dead == "rasa-a" else "rasa-a"
    dead_port = prod.config.rasa_ports[0 if dead == "rasa-a" else 1]
    asked = [Resident(prod.front_url) for _ in ASKED_WHERE]
    confirming = [Resident(prod.front_url) for _ in AT_SUMMARY]
    for resident, (complaint, _, _) in zip(asked, ASKED_WHERE):
        turn = resident.say(complaint)
        assert ASKS_PLACE.search(turn.reply), f"the bot did not ask where: {resident.transcript()}"
    for resident, (complaint, place) in zip(confirming, AT_SUMMARY):
        _reach_summary(resident, complaint, place)

    # The 确认 turns hang in action_file_ticket (ticketing frozen) when the instance dies.
    workers = ["ticketing-a", "ticketing-b"]
    ticketing_ports = list(prod.config.ticketing_ports)
    baseline = waiting_requests(ticketing_ports)
    _signal_all(prod, workers, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(len(confirming)) as pool:
            pending = [pool.submit(r.say, "确认") for r in confirming]
            in_flight = wait_for(lambda: waiting_requests(ticketing_ports) - baseline >= len(confirming), timeout=8)
            waiting = waiting_requests(ticketing_ports) - baseline
            log_offset = prod.nginx_access_log.stat().st_size
            prod.kill(dead)
            killed_at = time.monotonic()
            time.sleep(0.3)
            _signal_all(prod, workers, signal.SIGCONT)
            first = [future.result() for future in pending]
    finally:
        _signal_all(prod, [w for w in workers if prod.alive(w)], signal.SIGCONT)
    assert in_flight, f"only {waiting} of {len(confirming)} filings reached the frozen ticketing workers"
    assert all(turn.status is not None for turn in first), "a turn on the killed instance got no HTTP answer at all"
    lost_with_instance = [t for t in first if t.status == 502]
    assert all("请再发送一次" in t.reply for t in lost_with_instance), (
        f"a resident whose turn died with the instance was not told in Chinese: {lost_with_instance}")

    turns_before = {r.sender: len(r.turns) for r in asked + confirming}
    lost = [r for r, turn in zip(confirming, first) if not TICKET_NUMBER.search(turn.reply)]
    filed_anyway = [r for r in lost if _tickets(prod, r.sender)]

    def carry_on(resident: Resident, place: str | None, keyword: str | None) -> None:
        if place is not None:  # was asked where before the kill: the complaint must still be there
            summary = resident.say(place)
            assert summary.answered and keyword in summary.reply and ASKS_CONFIRMATION.search(summary.reply), (
                f"the complaint was not kept across the kill: {resident.transcript()}")
        final = resident.say("确认")
        assert TICKET_NUMBER.search(final.reply), f"no ticket number after the kill: {resident.transcript()}"

    with ThreadPoolExecutor(len(asked) + len(lost)) as pool:
        jobs = [pool.submit(carry_on, r, place, keyword) for r, (_, place, keyword) in zip(asked, ASKED_WHERE)]
        jobs += [pool.submit(carry_on, r, None, None) for r in lost]
        widget_number = _widget_carries_on(widget) if widget is not None else None
        errors = [job.exception() for job in jobs]

    everyone = asked + confirming
    stored = {r.sender: _tickets(prod, r.sender) for r in everyone}
    told = {r.sender: TICKET_NUMBER.findall(" ".join(t.reply for t in r.turns)) for r in everyone}
    retries = [r.turns[-1].seconds for r in lost]
    after_kill = [t for r in everyone for t in r.turns[turns_before[r.sender]:]]
    failed_turns = [t for t in first if not t.answered]
    log = _access_log_since(prod, log_offset)
    section.counts.update({
        "residents mid-conversation": len(everyone),
        "turns sent": sum(len(r.turns) for r in everyone),
        "Rasa instance killed (the one the widget was pinned to)": f"{dead} ({'pinned' if pinned else 'no widget'})",
        "确认 turns in flight when it was killed": len(first),
        "filings waiting at the frozen ticketing workers": waiting,
        f"in-flight turns answered (served by {survivor})": len(first) - len(failed_turns),
        f"in-flight turns failed (lost with {dead})": len(failed_turns),
        "failed turns whose ticket was filed anyway": len(filed_anyway),
        "turns after the kill": len(after_kill),
        "turns after the kill answered": sum(t.answered for t in after_kill),
        "residents with exactly one ticket": sum(len(rows) == 1 for rows in stored.values()),
        "duplicate tickets": sum(max(0, len(rows) - 1) for rows in stored.values()),
        "longest wait of a resent 确认 (s)": round(max(retries), 1) if retries else "-",
        f"webhook requests nginx tried on dead {dead}, then passed on": _passed_on(
            log, "/webhooks/rest/webhook", dead_port),
        "webhook answers 502 from nginx": sum('"POST /webhooks/rest/webhook ' in line and '" 502 ' in line
                                              for line in log),
    })
    section.notes.extend(
        f"in-flight turn failed: HTTP {t.status} after {t.seconds:.1f} s, the resident saw: "
        f"{t.reply or '(no message; body: ' + t.error + ')'}" for t in failed_turns)
    section.notes.append(f"{dead} killed {time.monotonic() - killed_at:.0f} s before the last check")
    if widget is not None:
        widget_rows = prod.tickets_sql("SELECT number, description FROM tickets WHERE conversation_id = "
                                       "(SELECT conversation_id FROM tickets WHERE number = %s)", widget_number)
        section.counts.update({
            "widget turns after the kill / answered": f"{len(widget.turns) - 1} / "
                                                      f"{sum(t.status == 200 for t in widget.turns[1:])}",
            "widget resident's tickets": len(widget_rows) if widget_number else 0,
            "longest widget turn after the kill (s)": round(max(t.seconds for t in widget.turns[1:]), 1),
        })
        section.notes.extend(f"widget after the kill: {t.text} → {t.reply or t.error}"[:200] for t in widget.turns[1:])

    assert not [e for e in errors if e], f"conversations did not continue after the kill: {[e for e in errors if e]}"
    for resident in everyone:
        rows = stored[resident.sender]
        assert len(rows) == 1, f"{len(rows)} tickets for one resident: {rows}; {resident.transcript()}"
        assert told[resident.sender][-1] == rows[0][0], f"told {told[resident.sender]}, stored {rows}"
    assert all(t.answered for t in after_kill), "a turn after the kill was not answered"
    if widget is not None:
        assert widget_number, f"the widget resident got no ticket after the kill: {widget.turns}"
        assert [number for number, _ in widget_rows] == [widget_number], f"widget resident's tickets: {widget_rows}"
        assert WIDGET_COMPLAINT[2] in widget_rows[0][1], f"the complaint given before the kill was lost: {widget_rows}"


def _widget_carries_on(widget: WidgetResident) -> str | None:
    """After the kill the widget reconnects (to the other instance) and the complaint goes on."""
    complaint, place, keyword = WIDGET_COMPLAINT
    if not ASKS_CONFIRMATION.search(widget.turns[-1].reply):
        summary = widget.say(place, r"确认无误")
        if summary.status != 200 or keyword not in summary.reply:
            return None
    final = widget.say("确认", TICKET_NUMBER.pattern)
    found = TICKET_NUMBER.search(final.reply)
    return found.group() if found else None


def _notice_of_failure(reply: str) -> bool:
    """The channel guard's Chinese notice for a failed custom action (bot/channels/guard.py)."""
    return "没有办理成功" in reply


def _file_through(resident: Resident, complaint: str, place: str) -> None:
    """Answer the bot until it names a ticket; a failure notice is answered by saying it again."""
    turn = resident.turns[-1]
    for _ in range(5):
        if TICKET_NUMBER.search(turn.reply):
            return
        if _notice_of_failure(turn.reply):
            turn = resident.say(complaint)
        elif ASKS_CONFIRMATION.search(turn.reply):
            turn = resident.say("确认")
        elif ASKS_PLACE.search(turn.reply):
            turn = resident.say(place)
        else:
            break
    assert TICKET_NUMBER.search(turn.reply), f"no ticket after the action server died: {resident.transcript()}"


def test_action_server_killed_mid_turn(prod: ProdSystem, section: Section) -> None:
    """Calls queued at the killed server are not repeated by nginx (no idempotency key for ratings or
    supplements): their residents must get the guard's Chinese notice; every later call goes to the twin."""
    servers = ["actions-a", "actions-b"]
    ports = list(prod.config.action_ports)
    residents = [Resident(prod.front_url) for _ in range(2)]
    baseline = waiting_requests(ports)
    _signal_all(prod, servers, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(len(residents)) as pool:
            pending = [pool.submit(r.say, complaint) for r, (complaint, _, _) in zip(residents, ASKED_WHERE)]
            in_flight = wait_for(lambda: waiting_requests(ports) - baseline >= len(residents), timeout=20)
            at_a = waiting_requests([prod.config.action_ports[0]])
            log_offset = prod.nginx_access_log.stat().st_size
            prod.kill("actions-a")
            _signal_all(prod, ["actions-b"], signal.SIGCONT)
            first = [future.result() for future in pending]
    finally:
        if prod.alive("actions-b"):
            os.killpg(prod.pid("actions-b"), signal.SIGCONT)
    assert in_flight, "the residents' turns never reached the frozen action servers"
    for resident, (complaint, place, _) in zip(residents, ASKED_WHERE):
        _file_through(resident, complaint, place)
    turns = [t for r in residents for t in r.turns]
    later = [t for r in residents for t in r.turns[1:]]
    stored = {r.sender: _tickets(prod, r.sender) for r in residents}
    section.counts.update({
        "action calls waiting on actions-a when it was killed": at_a,
        "in-flight turns answered normally": sum(t.answered and not _notice_of_failure(t.reply) for t in first),
        "in-flight turns answered with the failure notice in Chinese": sum(_notice_of_failure(t.reply) for t in first),
        "in-flight turns without a Chinese answer": sum(not t.answered for t in first),
        "later turns of these residents / answered normally": f"{len(later)} / "
        f"{sum(t.answered and not _notice_of_failure(t.reply) for t in later)}",
        "tickets for these residents (expected one each)": sum(len(rows) for rows in stored.values()),
        "action calls nginx tried on dead actions-a, then passed to actions-b": _passed_on(
            _access_log_since(prod, log_offset), "/webhook", prod.config.action_ports[0]),
    })
    section.notes.extend(f"turn in flight while actions-a was killed → HTTP {t.status}: "
                         f"{(t.reply or t.error).replace(chr(10), ' ')}" for t in first)
    assert all(t.answered for t in turns), f"a turn got no Chinese answer: {[r.transcript() for r in residents]}"
    # Before the guard held back what followed a failed action, the resident read "目前没有待提交的诉求"
    # (the lost validation left nothing to file) right after giving the place, then the notice.
    noticed = [t.reply for t in first if _notice_of_failure(t.reply)]
    assert all(reply.strip().startswith("抱歉，系统暂时出现故障") for reply in noticed), noticed
    assert all(t.answered and not _notice_of_failure(t.reply) for t in later), [r.transcript() for r in residents]
    assert all(len(rows) == 1 for rows in stored.values()), stored
