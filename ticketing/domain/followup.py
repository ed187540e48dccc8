"""回访 policy: how long a rating link lives, when an unrated answer needs a call, when to give up.

Numbers come from ``config/followup.yml`` (an operator edits them); the rules that use them are here
so they can be tested without a database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ticketing.core.configfiles import ConfigError, load_yaml

# The history actions that give the resident an answer: a rating is always about the latest one.
RESOLUTION_ACTIONS = ("resolve", "reply_directly")
RATED, UNREACHABLE = "rated", "unreachable"
OUTCOME_LABELS = {RATED: "已评价", UNREACHABLE: "无法联系"}


@dataclass(frozen=True)
class FollowUpPolicy:
    """Link lifetime, the wait before a 回访 call, and the number of failed calls before giving up."""

    link_hours: int = 168
    queue_after_hours: int = 48
    max_unreachable: int = 3

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "FollowUpPolicy":
        try:
            policy = cls(**{k: int(v) for k, v in (data or {}).items()})
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"followup.yml: {exc}") from exc
        if min(policy.link_hours, policy.queue_after_hours, policy.max_unreachable) < 1:
            raise ConfigError("followup.yml: every number must be at least 1")
        return policy

    def link_expires(self, now: datetime) -> datetime:
        return now + timedelta(hours=self.link_hours)

    def queue_cutoff(self, now: datetime) -> datetime:
        """Answers given at or before this moment and still unrated belong in the 回访 list."""
        return now - timedelta(hours=self.queue_after_hours)

    def gave_up(self, unreachable_calls: int) -> bool:
        return unreachable_calls >= self.max_unreachable


def default_followup() -> FollowUpPolicy:
    """The policy from ``config/followup.yml``; the built-in numbers where an operator's config folder
    has no such file (a missing file must not stop every 办结, which issues a link)."""
    try:
        data = load_yaml("followup.yml")
    except ConfigError as exc:
        if isinstance(exc.__cause__, FileNotFoundError):
            return FollowUpPolicy()
        raise
    return FollowUpPolicy.from_data(data)
