"""The shared real messages as the ordinary side of the emergency bench, split once and for good.

Why a split: the detector's rules were tuned while looking at false alarms on real messages; a figure
on those same messages would flatter it. Each text goes to the development half or the test half by
a stable hash of its own characters (SHA-256, first byte even or odd), so the split never depends on
file order, sampling seeds or library versions; the test half is only ever counted, never shown.
The texts are read in place from ../shared/data (never copied); rows are named "file:row", row 1
being the first data line under the header.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
HALVES = ("development", "test")


@dataclass(frozen=True)
class RealMessage:
    """One real message: where it is in the shared files, and its text (subject and body together)."""

    row: str
    text: str


def half_of(text: str) -> str:
    """'development' or 'test', fixed by the text alone."""
    return HALVES[hashlib.sha256(text.encode("utf-8")).digest()[0] % 2]


def _rows(name: str) -> Iterator[RealMessage]:
    with (SHARED / name).open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            parts = [(row.get(column) or "").strip() for column in ("subject", "body")]
            text = "\n".join(part for part in parts if part)
            if text:
                yield RealMessage(f"{name}:{number}", text)


def real_messages(half: str) -> List[RealMessage]:
    """Every whole message (messages.csv) and title (subjects.csv) of one half; empty without the data."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}")
    if not SHARED.is_dir():
        return []
    return [m for name in ("messages.csv", "subjects.csv") for m in _rows(name) if half_of(m.text) == half]
