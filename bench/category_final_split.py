"""The frozen final split of the category evaluation: which real items no choice may look at.

Why a new split: the category model's settings were chosen over several sessions while its
evaluation's fixed 80/20 split (bench.nlu_eval, seed 0) was read again and again, and issue #15
found that its +0.02 over the baseline did not hold on messages nobody here had used. From now on
every choice (features, weights, thresholds, calibration, data mixes) is made by cross-validation
inside the development part, and the final part is read once per release, by
`bench.category_nested --read-final`, which logs each read in docs/nlu-evaluation.md.
How: an item is final when the SHA-256 of a salt and its own text falls in the lowest fifth; it
never depends on file order, seeds or library versions. `bench/data/category_final_split.yml`
records the counts and a digest of the final texts, committed before any tuning; the repository
test `tests/repo/test_category_final_split.py` fails if the rule or the data under it changes.
"""
from __future__ import annotations

import hashlib
from typing import Dict, List, Sequence

import numpy as np

SALT = "yijian category final split v1 (2026-12-02)"
FINAL_SHARE = 0.2


def is_final(text: str) -> bool:
    """True for the ~20 % of texts in the frozen final part."""
    digest = hashlib.sha256((SALT + "\0" + text).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") < FINAL_SHARE * 2 ** 32


def final_indices(texts: Sequence[str]) -> np.ndarray:
    return np.array([i for i, text in enumerate(texts) if is_final(text)], dtype=int)


def development_indices(texts: Sequence[str]) -> np.ndarray:
    return np.array([i for i, text in enumerate(texts) if not is_final(text)], dtype=int)


def manifest(files: Dict[str, Sequence[str]]) -> Dict[str, Dict[str, object]]:
    """Per file: item counts and the SHA-256 of the sorted final texts (what the committed YAML holds)."""
    out: Dict[str, Dict[str, object]] = {}
    for name, texts in files.items():
        final: List[str] = sorted(t for t in texts if is_final(t))
        digest = hashlib.sha256("\n\0".join(final).encode("utf-8")).hexdigest()
        out[name] = {"items": len(texts), "final": len(final), "development": len(texts) - len(final),
                     "final_sha256": digest}
    return out
