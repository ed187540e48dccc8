"""What the notification benches share: a scratch database, tickets that want e-mail or SMS, the
notifier and relay as real processes, and reading what arrived at the sinks by notification id."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy import select

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.rules import Rules, default_rules
from ticketing.domain.workflow import Command
from ticketing.models.notifications import Notification
from ticketing.models.tickets import Ticket
from ticketing.services import tickets as service
from ticketing.services.transitions import run_transition
from ticketing.store.schema import migrate
from tests.support.notify_sinks import SmsSink, SmtpSink

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP_URL = os.environ.get("YIJIAN_AMQP_URL") or "amqp://guest:guest@127.0.0.1:5672/%2F"
SMS_SECRET = "bench-sms-secret"
MESSAGE_ID = re.compile(r"<notification-(\d+)@yijian>")


def scratch_database(kind: str) -> str:
    """A fresh, migrated database: a SQLite file, or PostgreSQL database ``notify_bench`` (recreated)."""
    if kind == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='notify-bench-')}/bench.db"
    else:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS notify_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE notify_bench")
        url = "postgresql+psycopg://postgres@127.0.0.1:5432/notify_bench"
    migrate(url)
    return url


@dataclass
class Bench:
    """One scratch system: database, sinks, and the notifier/relay processes with their own broker names."""

    url: str
    broker: bool
    smtp: SmtpSink = field(default_factory=lambda: SmtpSink().start())
    sms: SmsSink = field(default_factory=lambda: SmsSink(SMS_SECRET).start())
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="notify-bench-logs-")))

    def __post_init__(self) -> None:
        self.factory = make_sessionmaker(make_engine(self.url))
        self.rules: Rules = default_rules()

    def env(self) -> dict[str, str]:
        env = {**os.environ, "DATABASE_URL": self.url, "YIJIAN_SMTP_URL": self.smtp.url,
               "YIJIAN_SMS_URL": self.sms.url, "YIJIAN_SMS_ACCESS_KEY": "ak-bench", "YIJIAN_SMS_SECRET": SMS_SECRET,
               "YIJIAN_PUBLIC_BASE_URL": "https://wh12345.cn", "YIJIAN_AMQP_URL": AMQP_URL if self.broker else ""}
        return env

    def start(self, role: str) -> None:
        """Start (or restart) ``notifier`` or ``relay`` with this bench's own exchange and queue."""
        command = [sys.executable, "-m", "ticketing.notifications", role,
                   "--exchange", f"bench.{self.tag}.events", "--queue", f"bench.{self.tag}.notifier"]
        log = (self.logs / f"{role}.log").open("ab")
        self.processes[role] = subprocess.Popen(command, cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT)

    def kill(self, role: str) -> None:
        """SIGKILL: no chance to finish what it was doing (the crash the test is about)."""
        process = self.processes[role]
        process.kill()
        process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.smtp.stop()
        self.sms.stop()
        if self.broker:
            self._delete_broker_names()

    def _delete_broker_names(self) -> None:
        from ticketing.notifications import broker

        try:
            connection = broker.connect(AMQP_URL)
            channel = connection.channel()
            channel.queue_delete(f"bench.{self.tag}.notifier")
            channel.exchange_delete(f"bench.{self.tag}.events")
            connection.close()
        except Exception as exc:  # noqa: BLE001 - cleanup only
            print(f"[bench] could not delete the bench's broker names: {exc}", file=sys.stderr)

    # --- tickets -----------------------------------------------------------------------------------

    def new_ticket(self, index: int, channel: str = "email") -> Ticket:
        contact = ({"contact_channel": "email", "contact_email": f"resident{index}@example.com"} if channel == "email"
                   else {"contact_channel": "sms", "contact_phone": f"139{index:08d}"})
        data = TicketCreate(description=f"小区门口路灯坏了 #{index}", category=["城乡建设", "城市建设和市政管理"],
                            place="江汉区解放大道688号", channel="web", **contact)
        return service.create_ticket(self.factory, data=data, rules=self.rules).ticket

    def act(self, ticket: Ticket, action: str, **fields: object) -> None:
        role = fields.pop("role", "department")
        run_transition(self.factory, number=ticket.number, rules=self.rules, command=Command(
            action=action, actor="bench", role=str(role),
            department=ticket.department_code if role == "department" else None, **fields))  # type: ignore[arg-type]

    def notification_ids(self, **where: object) -> dict[int, tuple[int, str, str]]:
        """Committed notifications: id -> (ticket id, kind, channel)."""
        with self.factory() as db:
            rows = db.execute(select(Notification.id, Notification.ticket_id, Notification.kind, Notification.channel))
            return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def arrivals(self) -> dict[int, list[float]]:
        """Notification id -> arrival times, from the SMTP sink's Message-IDs and the SMS stub's OutIds."""
        seen: dict[int, list[float]] = {}
        for at, mail in list(self.smtp.messages):
            match = MESSAGE_ID.search(str(mail["Message-ID"]))
            if match:
                seen.setdefault(int(match.group(1)), []).append(at)
        for request in list(self.sms.requests):
            if request.get("_valid") and str(request.get("OutId", "")).startswith("n"):
                seen.setdefault(int(request["OutId"][1:]), []).append(request["_at"])
        return seen

    def wait_until(self, expected: set[int], timeout: float) -> bool:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if expected <= set(self.arrivals()):
                return True
            time.sleep(0.1)
        return False
