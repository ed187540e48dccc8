"""Our category tree against the standard three-level taxonomy, and every leaf against the router.

The standard tree is read from ``../shared/data/taxonomy.csv`` (next to the checkout) when it is
there; it is never copied into the repository. Without it the mapping checks are skipped.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ticketing.domain.categories import CategoryTree, default_tree
from ticketing.domain.departments import HOTLINE, default_directory
from ticketing.domain.routing import default_router

TAXONOMY = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "taxonomy.csv"


@pytest.fixture(scope="module")
def standard() -> list[tuple[str, str, str]]:
    if not TAXONOMY.is_file():
        pytest.skip(f"standard taxonomy not found at {TAXONOMY.resolve()}; mapping checks skipped")
    with TAXONOMY.open(encoding="utf-8") as handle:
        return [(r["level1"].strip(), r["level2"].strip(), r["level3"].strip()) for r in csv.DictReader(handle)]


def test_all_first_level_classes_exist(standard: list[tuple[str, str, str]]) -> None:
    first = {row[0] for row in standard}
    assert len(first) == 15
    assert sorted(first - set(default_tree().tree)) == []


def test_every_standard_leaf_has_a_home_leaf(standard: list[tuple[str, str, str]]) -> None:
    tree = default_tree()
    homeless = [row for row in standard if tree.home(row) is None]
    assert homeless == []
    not_leaves = [(row, tree.home(row)) for row in standard if not tree.is_leaf(tree.home(row) or ())]
    assert not_leaves == []


def test_most_standard_leaves_keep_their_name(standard: list[tuple[str, str, str]]) -> None:
    """Aliases are for real differences; a tree that only aliases would not help anyone reading both."""
    tree = default_tree()
    exact = [row for row in standard if tree.is_known(list(row))]
    assert len(exact) >= 0.7 * len(standard)


def test_aliases_point_at_known_leaves_and_keys_are_not_our_own_paths() -> None:
    tree = default_tree()
    assert [(k, v) for k, v in tree.aliases.items() if not tree.is_known(list(v))] == []
    assert [k for k in tree.aliases if tree.is_known(list(k))] == []
    assert [v for v in tree.aliases.values() if len(v) == 3 and not tree.is_leaf(v)] == []


def test_alias_kinds() -> None:
    tree = CategoryTree({"甲": {"乙": ["丙", "丁"], "戊": []}},
                        {("甲", "旧乙"): ("甲", "乙"), ("甲", "旧乙", "老丙"): ("甲", "乙", "丙"),
                         ("甲", "并入"): ("甲", "乙", "丁")})
    assert tree.home(["甲", "乙", "丙"]) == ("甲", "乙", "丙")
    assert tree.home(["甲", "旧乙", "丁"]) == ("甲", "乙", "丁")  # section renamed, leaf keeps its name
    assert tree.home(["甲", "旧乙", "老丙"]) == ("甲", "乙", "丙")  # leaf alias wins
    assert tree.home(["甲", "并入", "任意"]) == ("甲", "乙", "丁")  # section folded into one leaf
    assert tree.home(["甲", "旧乙", "没有"]) is None and tree.home(["乙"]) is None
    assert tree.leaves() == [("甲", "乙", "丙"), ("甲", "乙", "丁"), ("甲", "戊")]


def test_every_leaf_routes_to_a_department_or_is_deliberately_triaged() -> None:
    """No leaf falls through to the catch-all; hotline triage must be an explicit rule."""
    router, directory = default_router(), default_directory()
    fallthrough, triaged = [], []
    for leaf in default_tree().leaves():
        decision = router.route(leaf)
        if decision.is_default:
            fallthrough.append(leaf)
        elif decision.department == HOTLINE:
            triaged.append(leaf)
        else:
            assert decision.department in directory, leaf
    assert fallthrough == []
    # triage is kept to matters no executive department answers (官员举报, 诉讼, 党务)
    assert {leaf[0] for leaf in triaged} <= {"纪检监察", "政法", "党务政务"}
    assert len(triaged) <= 0.1 * len(default_tree().leaves())


def test_realistic_department_set() -> None:
    directory = default_directory()
    kinds = [d.kind for d in directory.all()]
    assert kinds.count("municipal") >= 40 and kinds.count("enterprise") >= 5 and kinds.count("street") >= 2
    used = {r.department for r in default_router().rules} | {c for r in default_router().rules for c in r.assist}
    for code in ("urban-management", "housing", "ecology-environment", "transport", "water-affairs",
                 "human-resources", "market-regulation", "public-security", "education", "health",
                 "civil-affairs", "natural-resources", "culture-tourism", "agriculture",
                 "power-supply", "water-supply", "gas-supply"):
        assert code in used, code


def test_no_leaf_twice_under_one_second_level() -> None:
    tree = default_tree().tree
    twice = [(l1, l2) for l1, l2s in tree.items() for l2, l3s in l2s.items() if len(set(l3s)) != len(l3s)]
    assert twice == [] and len(tree) == 15
