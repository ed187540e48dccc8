"""Replace one `## ` section of a Markdown document, leaving every other section as it is.

Why: several benches write their figures into the same doc (docs/nlu-evaluation.md); each owns one
section, from its heading up to the next `## ` heading, and must not touch the others.
"""
from __future__ import annotations

from pathlib import Path


def replace_section(doc: Path, heading: str, section: str) -> None:
    """Put `section` (which starts with `heading`) where that section was, or append it at the end."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    section = section.strip("\n") + "\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip("\n") + ("\n\n" if old else "") + section
    else:
        end = old.find("\n## ", start + len(heading))
        new = old[:start] + section + ("\n" + old[end + 1:] if end >= 0 else "")
    doc.write_text(new.rstrip("\n") + "\n", encoding="utf-8")
