"""Counts of a fault test, printed and gathered into ``tests/artifacts/faults-report.md``.

Why a file: issue #6 asks for what was sent and what was stored to be reported, not only asserted;
the report of the last run is what docs/faults.md quotes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Section:
    """One test's figures: a table of counts and free notes (what residents saw, timings)."""

    title: str
    counts: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        rows = "\n".join(f"| {name} | {value} |" for name, value in self.counts.items())
        notes = "\n".join(f"- {' '.join(note.split())}" for note in self.notes)  # one line each
        return f"## {self.title}\n\n| count | value |\n| --- | --- |\n{rows}\n\n{notes}\n"


class FaultReport:
    """Sections of this pytest session, rewritten to the file after each one so a crash keeps the rest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sections: list[Section] = []
        self.started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())

    def add(self, section: Section) -> None:
        self.sections = [s for s in self.sections if s.title != section.title] + [section]
        print("\n" + section.markdown())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n".join(s.markdown() for s in self.sections)
        self.path.write_text(f"# Fault tests — report of the run started {self.started}\n\n{body}", encoding="utf-8")
