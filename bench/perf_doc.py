"""Each scale benchmark owns one section of docs/performance.md, between markers it replaces.

Why markers instead of headings: reruns must replace exactly their own figures and never touch the
sections other benchmarks (or people) wrote; a heading may be edited by hand, an HTML comment is not
shown and is unlikely to be.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone

from launcher.paths import REPO

DOC = REPO / "docs" / "performance.md"


@dataclass(frozen=True)
class RunConditions:
    """When, on what code and under which machine load a run was measured."""

    started: datetime
    commit: str
    cores: int
    load_at_start: tuple[float, float, float]

    @classmethod
    def now(cls) -> "RunConditions":
        return cls(datetime.now(timezone.utc), git_commit(), os.cpu_count() or 0, os.getloadavg())

    def describe(self, load_at_end: tuple[float, float, float] | None = None) -> str:
        """One Markdown line: date, commit, cores, load averages at start (and end)."""
        load = "/".join(f"{x:.1f}" for x in self.load_at_start)
        text = (f"Run of {self.started:%Y-%m-%d %H:%M} UTC, commit `{self.commit}`, {self.cores} cores, "
                f"load average (1/5/15 min) {load} at the start")
        if load_at_end is not None:
            text += ", " + "/".join(f"{x:.1f}" for x in load_at_end) + " at the end"
        return text + "."


def git_commit() -> str:
    """Short HEAD commit, with "+changes" when tracked files differ from it (figures of uncommitted code)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, check=True,
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "bench", "ticketing", "actions", "bot",
                                "launcher", "config.yml", "domain.yml", "data", "endpoints.yml"], cwd=REPO).returncode
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if dirty else "")


def markers(key: str) -> tuple[str, str]:
    return f"<!-- bench:{key} begin (written by bench/{key}.py; edit the code, not this) -->", f"<!-- bench:{key} end -->"


def write_section(key: str, markdown: str) -> None:
    """Put `markdown` between this bench's markers, replacing what was there, or append it at the end."""
    begin, end = markers(key)
    block = f"{begin}\n{markdown.strip()}\n{end}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    start = text.find(begin)
    if start >= 0:
        stop = text.find(end, start)
        if stop < 0:
            raise RuntimeError(f"{DOC}: found '{begin}' without its end marker; fix the file by hand")
        text = text[:start] + block + text[stop + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(f"figures written to {DOC.relative_to(REPO)} (section bench:{key})", flush=True)
