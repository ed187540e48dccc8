"""The shared real data stays outside the repository: no file of ours repeats its texts.

DEVELOPERS.md and the data's README forbid copying the real messages or replies into the project.
This test reads them in place (skipped where they are absent) and looks for any run of WINDOW
Chinese characters that a tracked file shares with them. A standard phrase we really wrote
ourselves would also show up here; none does today.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
WINDOW = 24
NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
SHARED_COLUMNS = {
    "messages.csv": ("subject", "body"),
    "subjects.csv": ("subject",),
    "replies.csv": ("subject", "body", "reply"),
    "hotspots.csv": ("subject", "body"),
}


def _windows(text: str) -> set[str]:
    chars = NOT_CJK.sub("", text)
    return {chars[i : i + WINDOW] for i in range(len(chars) - WINDOW + 1)}


def _repo_windows() -> dict[str, str]:
    """Every WINDOW-character run of Chinese in a tracked text file, mapped to the file."""
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for name in files.splitlines():
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # pictures and other binary files
        for window in _windows(text):
            found.setdefault(window, name)
    return found


def _shared_texts(name: str) -> list[str]:
    with (SHARED / name).open(encoding="utf-8", newline="") as handle:
        return [row.get(column) or "" for row in csv.DictReader(handle) for column in SHARED_COLUMNS[name]]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not here: nothing to compare with")
def test_no_tracked_file_repeats_the_shared_texts() -> None:
    ours = _repo_windows()
    copies: dict[str, str] = {}
    for name in SHARED_COLUMNS:
        for text in _shared_texts(name):
            for window in _windows(text) & ours.keys():
                copies.setdefault(ours[window], f"{name}: …{window}…")
    assert not copies, "texts of the shared data found in the repository:\n" + "\n".join(
        f"{path}: {where}" for path, where in sorted(copies.items())
    )
