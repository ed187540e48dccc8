"""The three-level category tree (分类) read from ``config/categories.yml``."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ticketing.configfiles import load_yaml


class CategoryTree:
    """Known category paths; lets callers tell a known path from free text."""

    def __init__(self, tree: dict[str, dict[str, list[str]]]) -> None:
        self.tree = tree

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "CategoryTree":
        raw = data.get("categories", {}) or {}
        return cls({l1: {l2: list(l3s or []) for l2, l3s in (l2s or {}).items()} for l1, l2s in raw.items()})

    def is_known(self, path: list[str]) -> bool:
        """True when every level of ``path`` exists under its parent."""
        if not 1 <= len(path) <= 3 or path[0] not in self.tree:
            return False
        if len(path) >= 2 and path[1] not in self.tree[path[0]]:
            return False
        return len(path) < 3 or path[2] in self.tree[path[0]][path[1]]

    def paths(self) -> list[str]:
        """Every level-2 and level-3 path as "一级 / 二级 / 三级", for pick lists."""
        out = []
        for l1, l2s in self.tree.items():
            for l2, l3s in l2s.items():
                out.append(f"{l1} / {l2}")
                out.extend(f"{l1} / {l2} / {l3}" for l3 in l3s)
        return out

    def as_json(self) -> list[dict[str, Any]]:
        """Nested list for the API: ``[{name, children: [{name, children: [{name}]}]}]``."""
        return [
            {"name": l1, "children": [
                {"name": l2, "children": [{"name": l3} for l3 in l3s]} for l2, l3s in l2s.items()
            ]}
            for l1, l2s in self.tree.items()
        ]


@lru_cache(maxsize=1)
def default_tree() -> CategoryTree:
    return CategoryTree.from_data(load_yaml("categories.yml"))
