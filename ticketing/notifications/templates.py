"""The operator's message templates (config/notifications.yml) and rendering one notification.

SMS are fitted to one 70-character segment (signature included) by cutting the template's ``shrink``
parameter; e-mails carry the full text, the rating link and an unsubscribe link.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ticketing.core.configfiles import ConfigError, load_yaml
from ticketing.domain.notices import NOTICE_KINDS

ELLIPSIS = "…"
MIN_SHRUNK = 6  # a cut parameter shorter than this is dropped rather than shown as a stub


@dataclass(frozen=True)
class Sms:
    """What the gateway receives (template code + params) and the text the resident will read."""

    code: str
    params: dict[str, str]
    text: str


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_seconds: tuple[float, ...]
    lease_seconds: float

    def wait_after(self, attempts: int) -> float:
        """Seconds before the next attempt once ``attempts`` have failed."""
        steps = self.backoff_seconds or (60.0,)
        return steps[min(attempts, len(steps)) - 1]


class Templates:
    """All templates, checked at start: every notice kind has an SMS and an e-mail template."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        sms, email = data.get("sms") or {}, data.get("email") or {}
        self.sign_name: str = sms.get("sign_name", "12345")
        self.max_length: int = int(sms.get("max_length", 70))
        self.optout_keywords = frozenset(str(k).strip().upper() for k in sms.get("optout_keywords", ["T", "TD", "退订"]))
        self.sms: dict[str, dict[str, str]] = sms.get("templates") or {}
        self.email: dict[str, dict[str, str]] = email.get("templates") or {}
        self.footer: str = email.get("footer", "")
        self.sender_name: str = email.get("sender_name", "12345热线")
        missing = [f"{channel}.{kind}" for kind in NOTICE_KINDS
                   for channel, table in (("sms", self.sms), ("email", self.email)) if kind not in table]
        if missing:
            raise ConfigError(f"notifications.yml lacks templates: {', '.join(missing)}")
        delivery = data.get("delivery") or {}
        self.retry = RetryPolicy(int(delivery.get("max_attempts", 5)),
                                 tuple(float(s) for s in delivery.get("backoff_seconds", [5, 30, 120, 600])),
                                 float(delivery.get("lease_seconds", 120)))

    @classmethod
    def load(cls, config_dir: Path | None = None) -> "Templates":
        return cls(load_yaml("notifications.yml", config_dir))

    def render_sms(self, kind: str, params: dict[str, Any]) -> Sms:
        """The SMS for ``kind``; the ``shrink`` parameter is cut until the whole fits one segment."""
        template = self.sms[kind]
        values = _derived(params)
        shrink = template.get("shrink")
        text = self._sms_text(template["text"], values)
        if len(text) > self.max_length and shrink and values.get(shrink):
            room = self.max_length - len(self._sms_text(template["text"], _Defaulting({**values, shrink: ""})))
            values[shrink] = values[shrink][:room - 1] + ELLIPSIS if room >= MIN_SHRUNK else ""
            text = self._sms_text(template["text"], values)
        used = {k: values[k] for k in _placeholders(template["text"])}
        return Sms(template["code"], used, text)

    def _sms_text(self, text: str, values: "_Defaulting") -> str:
        return f"【{self.sign_name}】" + text.format_map(values)

    def render_email(self, kind: str, params: dict[str, Any]) -> Email:
        template = self.email[kind]
        values = _derived(params)
        values["reply"] = str(params.get("reply") or "")
        body = template["body"].format_map(values).rstrip() + "\n" + self.footer.format_map(values)
        return Email(template["subject"].format_map(values), body)


def _derived(params: dict[str, Any]) -> dict[str, str]:
    """The stored params plus the phrases templates compose from them."""
    values = {k: "" if v is None else str(v) for k, v in params.items()}
    department = values.get("department", "")
    values.setdefault("department_part", f"，已派至{department}" if department else "")
    values.setdefault("department_sentence", f"已派至{department}办理。" if department else "")
    for key in ("number", "due", "due_short", "department", "reply", "parent", "link", "unsubscribe", "hotline"):
        values.setdefault(key, "")
    values["reply"] = " ".join(values["reply"].split())  # one line in an SMS; the e-mail keeps it readable
    return _Defaulting(values)


class _Defaulting(dict):  # type: ignore[type-arg]
    """An unknown placeholder an operator typed renders empty instead of failing a delivery."""

    def __missing__(self, key: str) -> str:
        return ""


def _placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
