"""Weak first-level labels for unlabelled messages, read from the department that answered them.

Why: `../shared/data/replies.csv` holds ~2,800 real messages without a category but with the
official reply, which usually names the answering bureau ("…经区教育局调查…"). Our own routing table
says which first-level class each department answers, so a reply that names departments of a single
class gives its message that class. Why only confident mappings: a department counts for the class it
answers by default (`{category: [X], department: D}` in routing.yml) or, failing that, for the one
class all its rules lie under; a department spread over several classes with no default (城管, 市场监管,
医保) tells nothing and is ignored, and a reply naming departments of different classes is dropped.
Department names come from `ticketing/config/departments.yml` plus the older and county-level names
of `bot/category_data/department_aliases.yml`.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import yaml

Examples = Tuple[List[str], List[str]]

_NAME_PREFIXES = ("中共武汉市委", "武汉市", "武汉", "国家税务总局武汉市", "中华人民共和国武汉")


def _yaml(path: Path) -> Dict:
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def department_classes(routing_path: str) -> Dict[str, str]:
    """Department code -> the one first-level class it answers, for departments we can be sure of."""
    rules = [r for r in _yaml(Path(routing_path)).get("rules") or [] if r.get("department")]
    owned: Dict[str, Set[str]] = {}
    spread: Dict[str, Set[str]] = {}
    for rule in rules:
        code, path = rule["department"], rule["category"]
        spread.setdefault(code, set()).add(path[0])
        if len(path) == 1 and not rule.get("district"):
            owned.setdefault(code, set()).add(path[0])
    mapping: Dict[str, str] = {}
    for code, classes in spread.items():
        chosen = owned.get(code) or classes
        if len(chosen) == 1 and code != "hotline":
            mapping[code] = next(iter(chosen))
    return mapping


def department_names(departments_path: str, aliases_path: str) -> Dict[str, Set[str]]:
    """Department code -> names it signs with (own name without the city prefix, short name, aliases)."""
    names: Dict[str, Set[str]] = {}
    for entry in _yaml(Path(departments_path)).get("departments") or []:
        found = names.setdefault(entry["code"], set())
        for name in (entry.get("name"), entry.get("short")):
            if not name:
                continue
            for prefix in _NAME_PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix):]
                    break
            name = name.lstrip("市")
            if len(name) >= 3:
                found.add(name)
    for code, aliases in (_yaml(Path(aliases_path)).get("aliases") or {}).items():
        names.setdefault(code, set()).update(a for a in aliases or () if a)
    return names


class ReplyLabeller:
    """Finds the first-level class of a reply from the department names in it."""

    def __init__(self, department_class: Dict[str, str], names: Dict[str, Set[str]]) -> None:
        by_name: Dict[str, str] = {}
        for code, level1 in department_class.items():
            for name in names.get(code, ()):
                by_name[name] = level1
        # Longest names first, so 交通运输局 is read before a shorter alias inside it.
        ordered = sorted(by_name, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._class_of = by_name

    def label(self, reply: str) -> Optional[str]:
        """The class when every department named in the reply answers the same one, else None."""
        if self._pattern is None:
            return None
        classes = {self._class_of[m.group(0)] for m in self._pattern.finditer(reply or "")}
        return next(iter(classes)) if len(classes) == 1 else None


def labeller(routing_path: str, departments_path: str, aliases_path: str) -> ReplyLabeller:
    return ReplyLabeller(department_classes(routing_path),
                         department_names(departments_path, aliases_path))


def reply_examples(replies_path: str, labeller_: ReplyLabeller,
                   allowed: Optional[Iterable[str]] = None) -> Examples:
    """(subject + body, weak class) of each reply whose class is certain and, if given, allowed.

    `allowed` keeps the weak labels within the classes the real labelled data uses: the city files
    planning complaints under 城乡建设, not under 国土资源 as our table would, so a class the real
    labels never use would only teach the model a convention the data does not follow.
    """
    path = Path(replies_path)
    if not path.is_file():
        return [], []
    keep: Optional[Set[str]] = set(allowed) if allowed is not None else None
    texts: List[str] = []
    labels: List[str] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            level1 = labeller_.label(row.get("reply") or "")
            if level1 is None or (keep is not None and level1 not in keep):
                continue
            texts.append("\n".join(p for p in (row.get("subject"), row.get("body")) if p))
            labels.append(level1)
    return texts, labels


def weak_label_counts(labels: Sequence[str]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))
