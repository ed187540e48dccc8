"""The three-level category tree (分类) read from ``config/categories.yml``."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

from ticketing.core.configfiles import load_yaml

Path = tuple[str, ...]


def _split(key: str) -> Path:
    return tuple(part.strip() for part in str(key).split("/") if part.strip())


class CategoryTree:
    """Known category paths; lets callers tell a known path from free text.

    ``aliases`` maps labels of the standard national tree that we spell or group differently to
    their home in ours, so records classified elsewhere can be filed here (see ``home``).
    """

    def __init__(self, tree: dict[str, dict[str, list[str]]], aliases: dict[Path, Path] | None = None) -> None:
        self.tree = tree
        self.aliases = aliases or {}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "CategoryTree":
        raw = data.get("categories", {}) or {}
        tree = {l1: {l2: list(l3s or []) for l2, l3s in (l2s or {}).items()} for l1, l2s in raw.items()}
        aliases = {_split(k): _split(v) for k, v in (data.get("aliases") or {}).items()}
        return cls(tree, aliases)

    def leaves(self) -> list[Path]:
        """Every path with nothing below it: level-3 entries and level-2 entries without children."""
        out: list[Path] = []
        for l1, l2s in self.tree.items():
            for l2, l3s in l2s.items():
                out.extend([(l1, l2, l3) for l3 in l3s] or [(l1, l2)])
        return out

    def is_leaf(self, path: Sequence[str]) -> bool:
        return self.is_known(list(path)) and (len(path) == 3 or (len(path) == 2 and not self.tree[path[0]][path[1]]))

    def home(self, path: Sequence[str]) -> Path | None:
        """Our known path for ``path``: itself if known, else via a leaf alias, else via its level 2's alias.

        A level-2 alias either renames the section (the leaf keeps its name under ours) or folds the
        whole section into one of our leaves. None when nothing fits.
        """
        path = tuple(path)
        if self.is_known(list(path)):
            return path
        target = self.aliases.get(path)
        if target is None and len(path) == 3:
            section = self.aliases.get(path[:2])
            target = section if section is None or len(section) == 3 else section + path[2:]
        return target if target is not None and self.is_known(list(target)) else None

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
