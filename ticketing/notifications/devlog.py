"""Development channels: with no SMTP server or SMS gateway configured, messages are appended to a
JSON-lines file (``YIJIAN_NOTIFY_DEV_LOG``) instead, and the staff-only page /staff/dev/notifications
lists them, so `make run` shows what residents would have received. Phones are masked here too."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path

from ticketing.core.timefmt import short_china
from ticketing.domain.privacy import mask_phone
from ticketing.notifications.templates import Email, Sms

_LOCK = threading.Lock()


class DevLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _append(self, row: dict[str, object]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"at": short_china(datetime.now(timezone.utc)), **row},
                                    ensure_ascii=False) + "\n")


class DevMailer(DevLog):
    def send(self, to: str, mail: Email, *, message_id: str, unsubscribe: str | None = None) -> str:
        self._append({"channel": "email", "to": to, "subject": mail.subject, "text": mail.body, "id": message_id})
        return message_id


class DevSms(DevLog):
    def send(self, phone: str, sms: Sms, *, out_id: str) -> str:
        self._append({"channel": "sms", "to": mask_phone(phone), "template": sms.code, "text": sms.text, "id": out_id})
        return out_id


def read(path: Path, limit: int = 200) -> list[dict[str, object]]:
    """The newest ``limit`` entries, newest first (the dev page)."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    return [json.loads(line) for line in reversed(lines) if line.strip()]
