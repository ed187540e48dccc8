"""Training texts for the category model, and the keyword rules that tell level 2/3.

Why several sources: the shared real messages (`../shared/data/`, read when present, never copied)
cover only 7 of the 15 first-level classes; our own examples (`bot/category_data/examples.csv`) and
the names and keywords of our own taxonomy (`ticketing/config/categories.yml`, `keywords.yml`) give
the other 8 a voice and let the model train on a machine without the shared data.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

Examples = Tuple[List[str], List[str]]

DEFAULT_PATHS: Dict[str, str] = {
    "examples_path": "bot/category_data/examples.csv",
    "taxonomy_path": "ticketing/config/categories.yml",
    "keywords_path": "ticketing/config/keywords.yml",
    "shared_data_dir": "../shared/data",
    "routing_path": "ticketing/config/routing.yml",
    "departments_path": "ticketing/config/departments.yml",
    "department_aliases_path": "bot/category_data/department_aliases.yml",
    # P(first level right) from the model's signals, fitted by bench.category_nested (see category_model)
    "calibration_path": "bot/category_data/dispatch_calibration.yml",
    # categories hotline staff set or corrected: `python -m ticketing.cli export-corrections` (absent: none)
    "corrections_path": "var/category_corrections.csv",
}
SHARED_FILES = ("messages.csv", "subjects.csv")


def evaluation_paths(repo: Path) -> Dict[str, str]:
    """The default paths under `repo`, without a deployment's staff corrections: an evaluation must
    train on the same data on every machine, and a demo database's corrections may hold shared texts."""
    return {k: str(repo / v) for k, v in DEFAULT_PATHS.items() if k != "corrections_path"}
REPLIES_FILE = "replies.csv"


def _yaml(path: Path) -> Dict[str, Any]:
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def own_examples(path: str) -> Examples:
    """Labelled messages from a CSV with columns category,text (our examples; staff corrections)."""
    if not path or not Path(path).is_file():
        return [], []
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("text") and r.get("category")]
    return [r["text"] for r in rows], [r["category"] for r in rows]


def taxonomy_examples(taxonomy_path: str, keywords_path: str) -> Examples:
    """One short text per level-2 branch (its name and its level-3 names) and per keyword rule."""
    texts: List[str] = []
    labels: List[str] = []
    tree = _yaml(Path(taxonomy_path)).get("categories") or {}
    for level1, branches in tree.items():
        for level2, leaves in (branches or {}).items():
            texts.append(" ".join([level2, *(leaves or [])]))
            labels.append(level1)
    for rule in keyword_rules(keywords_path):
        texts.append(" ".join(rule.words))
        labels.append(rule.path[0])
    return texts, labels


def shared_examples(shared_dir: str) -> Dict[str, Examples]:
    """Real messages (subject + body) and subjects by file name, when the shared data is there."""
    found: Dict[str, Examples] = {}
    for name in SHARED_FILES:
        path = Path(shared_dir) / name
        if not path.is_file():
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r.get("category")]
        texts = ["\n".join(p for p in (r.get("subject"), r.get("body")) if p) for r in rows]
        found[name] = (texts, [r["category"] for r in rows])
    return found


def weak_reply_examples(paths: Dict[str, str], allowed: Optional[Iterable[str]] = None) -> Examples:
    """Messages of the shared replies.csv labelled by the department that answered (see weak labels)."""
    from bot.components import category_weak_labels as weak

    labeller = weak.labeller(paths["routing_path"], paths["departments_path"], paths["department_aliases_path"])
    return weak.reply_examples(str(Path(paths["shared_data_dir"]) / REPLIES_FILE), labeller, allowed)


def all_examples(paths: Dict[str, str], use_shared: bool = True, use_replies: bool = False) -> Examples:
    """Everything the Rasa component trains on.

    `use_replies` adds replies.csv with weak labels (limited to the classes the shared labelled files
    use); measured to lower macro-F1, so the component leaves it off (docs/nlu-evaluation.md).
    """
    texts, labels = own_examples(paths["examples_path"])
    more = [taxonomy_examples(paths["taxonomy_path"], paths["keywords_path"]),
            own_examples(paths.get("corrections_path", ""))]
    if use_shared:
        shared = shared_examples(paths["shared_data_dir"])
        more.extend(shared.values())
        if use_replies:
            real = {label for _, found in shared.values() for label in found}
            more.append(weak_reply_examples(paths, real or None))
    for extra_texts, extra_labels in more:
        texts += extra_texts
        labels += extra_labels
    return texts, labels


def input_files(paths: Dict[str, str], use_shared: bool = True, use_replies: bool = False) -> List[Path]:
    """Files outside Rasa's training data that shape the model (for fingerprints)."""
    files = [Path(paths[k]) for k in ("examples_path", "taxonomy_path", "keywords_path", "calibration_path",
                                      "corrections_path") if k in paths]
    if use_shared:
        files += [Path(paths["shared_data_dir"]) / name for name in SHARED_FILES]
        if use_replies:
            files += [Path(paths["shared_data_dir"]) / REPLIES_FILE]
            files += [Path(paths[k]) for k in ("routing_path", "departments_path", "department_aliases_path")]
    return files


def files_hash(files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


@dataclass(frozen=True)
class KeywordRule:
    """A category path (2 or 3 levels) and the words that point to it."""

    path: Tuple[str, ...]
    words: Tuple[str, ...] = field(default_factory=tuple)


def keyword_rules(keywords_path: str) -> List[KeywordRule]:
    rules = _yaml(Path(keywords_path)).get("rules") or []
    return [KeywordRule(tuple(r["category"]), tuple(r.get("keywords") or ())) for r in rules]


def subcategory(text: str, level1: str, rules: List[KeywordRule]) -> Optional[Tuple[str, ...]]:
    """The level-1..3 path of the rule under `level1` whose words cover most characters, if any.

    Only rules under the predicted first level count, so a keyword never contradicts the model.
    """
    best, best_score = None, 0
    for rule in rules:
        if rule.path[0] != level1 or len(rule.path) < 2:
            continue
        score = sum(len(w) for w in rule.words if w and w in text)
        if score > best_score:
            best, best_score = rule.path, score
    return best
