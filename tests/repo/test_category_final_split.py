"""The category evaluation's final split is frozen: same rule, same data, same items as committed.

Why: a final split that moves (a new salt, a changed share, edited shared data) is a split some choice
may have looked at; bench/data/category_final_split.yml was written before any tuning.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench import category_final_split as split
from bot.components import category_sources as sources

REPO = Path(__file__).resolve().parents[2]
FROZEN = yaml.safe_load((REPO / "bench" / "data" / "category_final_split.yml").read_text(encoding="utf-8"))


def test_the_rule_is_the_committed_one() -> None:
    assert (split.SALT, split.FINAL_SHARE) == (FROZEN["salt"], FROZEN["final_share"])


def test_the_final_items_are_the_committed_ones() -> None:
    found = sources.shared_examples(str(REPO.parent / "shared" / "data"))
    if not found:
        pytest.skip("../shared/data is absent: nothing to check the frozen split against")
    assert split.manifest({name: texts for name, (texts, _) in found.items()}) == FROZEN["files"]


def test_about_a_fifth_of_any_texts_is_final() -> None:
    share = sum(split.is_final(f"第{n}号留言：路灯不亮") for n in range(4000)) / 4000
    assert 0.18 < share < 0.22
