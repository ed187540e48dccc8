"""Where a bot turn's time goes, read from the production nginx's access log.

Every hop of a turn passes nginx: the resident's message (`/webhooks/rest/webhook`, front), each call
Rasa makes to the action servers (`/webhook` on the loopback actions listener) and each call the
actions make to the ticketing API (`/api/…`, front). nginx logs `rt=` (seconds from the request's
first byte to the last byte of the answer) for each, so summing them over a load level splits the
turns' total time into: action calls (which include their ticketing calls), ticketing calls alone,
and the rest, spent in Rasa itself (NLU, policies, tracker store, locks) and in nginx.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* rt=(?P<rt>[\d.]+)')


@dataclass
class HopTotals:
    """Request counts and summed nginx request times of one load level, by kind of hop."""

    turns: int = 0
    turn_seconds: float = 0.0
    action_calls: int = 0
    action_seconds: float = 0.0
    ticketing_calls: int = 0
    ticketing_seconds: float = 0.0

    def per_turn_ms(self) -> tuple[float, float, float, float]:
        """Mean ms per turn: whole turn, in action calls, of which in ticketing calls, and the rest."""
        if not self.turns:
            return (0.0, 0.0, 0.0, 0.0)
        turn = self.turn_seconds * 1000 / self.turns
        actions = self.action_seconds * 1000 / self.turns
        ticketing = self.ticketing_seconds * 1000 / self.turns
        return turn, actions, ticketing, turn - actions


def log_size(path: Path | None) -> int:
    return path.stat().st_size if path is not None and path.exists() else 0


def hop_totals(path: Path | None, start: int) -> HopTotals | None:
    """Totals of the log lines written after byte offset `start` (None without a log)."""
    if path is None or not path.exists():
        return None
    totals = HopTotals()
    with path.open("rb") as handle:
        handle.seek(start)
        for raw in handle:
            match = LINE.search(raw.decode("utf-8", "replace"))
            if not match:
                continue
            path_part, seconds = match["path"], float(match["rt"])
            if path_part.startswith("/webhooks/"):
                totals.turns += 1
                totals.turn_seconds += seconds
            elif path_part == "/webhook":
                totals.action_calls += 1
                totals.action_seconds += seconds
            elif path_part.startswith("/api/"):
                totals.ticketing_calls += 1
                totals.ticketing_seconds += seconds
    return totals
