"""Reply templates per first-level category (``config/reply_templates.yml``), for the 办结 form."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ticketing.core.settings import CONFIG_DIR

DEFAULT = "默认"


@dataclass(frozen=True)
class ReplyTemplate:
    title: str
    text: str


@lru_cache(maxsize=4)
def load(path: Path = CONFIG_DIR / "reply_templates.yml") -> dict[str, list[ReplyTemplate]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {cat: [ReplyTemplate(str(t["title"]), str(t["text"]).strip()) for t in items or []]
            for cat, items in (data.get("templates") or {}).items()}


def for_category(category: list[str]) -> list[ReplyTemplate]:
    """The category's own templates first, then the general ones."""
    table = load()
    own = table.get(category[0], []) if category else []
    return own + table.get(DEFAULT, [])
