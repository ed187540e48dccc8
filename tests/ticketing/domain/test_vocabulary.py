"""The vocabulary is complete and is the only home of the state names.

Labels: every transition and the ``create`` event has a Chinese label, and so does every action any
module writes to the history (the timeline once showed ``reclassify`` as an English key). Sets: the
named state sets are the ones the transition table uses. Literals: no module but the vocabulary (and
the frozen migrations) spells out a state.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, get_args

import pytest

from ticketing.domain import vocabulary as v
from ticketing.domain.workflow import TRANSITIONS

PACKAGE = Path(__file__).resolve().parents[3] / "ticketing"
VOCABULARY = PACKAGE / "domain" / "vocabulary.py"
MIGRATIONS = PACKAGE / "store" / "migrations"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    """Every Python module of the package except the vocabulary itself and the frozen migrations."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != VOCABULARY and MIGRATIONS not in path.parents:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# --- labels ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("action", [*TRANSITIONS, v.CREATE])
def test_every_transition_and_create_has_a_chinese_label(action: str) -> None:
    label = v.ACTION_LABELS.get(action)
    assert label and CHINESE.search(label), f"ACTION_LABELS lacks a Chinese label for {action!r}"


def test_transition_label_reads_the_vocabulary() -> None:
    assert {a: t.label for a, t in TRANSITIONS.items()} == {a: v.ACTION_LABELS[a] for a in TRANSITIONS}
    assert TRANSITIONS["reclassify"].label == "修改分类/紧急程度"


def test_no_label_for_an_action_nobody_writes() -> None:
    assert set(v.ACTION_LABELS) == {*TRANSITIONS, v.CREATE}
    assert v.INTERNAL_ACTIONS <= set(TRANSITIONS)


def _written_actions() -> Iterator[tuple[str, int, str]]:
    """``action=`` of every ``history.record(...)`` and ``Command(...)`` call: (file, line, action).

    A literal is taken as written; a constant's name must be one of the vocabulary's (e.g. ``CREATE``).
    Variables (``row.action``, a parameter) pass on a transition's name, which the table test covers;
    the seeded histories of ``tests/ticketing/store/test_filters.py`` check what is actually written.
    """
    for path, tree in _modules():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name not in ("record", "Command"):
                continue
            for kw in (k for k in call.keywords if k.arg == "action"):
                if isinstance(kw.value, ast.Constant):
                    yield path.name, call.lineno, kw.value.value
                elif isinstance(kw.value, ast.Name) and kw.value.id.isupper():
                    yield path.name, call.lineno, getattr(v, kw.value.id, f"<{kw.value.id} not in vocabulary>")


def test_every_action_written_anywhere_is_labelled() -> None:
    written = list(_written_actions())
    unlabelled = [w for w in written if w[2] not in v.ACTION_LABELS]
    assert not unlabelled, f"history actions without a label in vocabulary.ACTION_LABELS: {unlabelled}"
    # the scan must see the writers it exists for, or it proves nothing
    assert {"create", "dispatch", "reply_directly", "escalate"} <= {w[2] for w in written}


# --- named sets -----------------------------------------------------------------------------------

@pytest.mark.parametrize("action, named", [
    ("escalate", v.WITH_DEPARTMENT), ("redispatch", v.WITH_DEPARTMENT), ("add_assist", v.WITH_DEPARTMENT),
    ("assist_opinion", v.WITH_DEPARTMENT), ("merge", v.OPEN), ("supplement", v.OPEN), ("reclassify", v.OPEN),
    ("archive", v.ANSWERED), ("internal_note", v.OPEN | v.ANSWERED),
])
def test_named_sets_are_the_transition_tables(action: str, named: frozenset[str]) -> None:
    assert TRANSITIONS[action].sources == named


def test_sets_are_consistent_with_each_other() -> None:
    assert set(v.OPEN_STATES) == v.OPEN and set(v.WITH_DEPARTMENT_STATES) == v.WITH_DEPARTMENT
    assert v.WITH_DEPARTMENT < v.OPEN and v.RECEIVED in v.OPEN - v.WITH_DEPARTMENT
    closed = set(v.STATES) - v.OPEN  # every state is open, answered, or closed for good
    assert closed == v.ANSWERED | v.CLOSED_FOR_MERGING and not v.ANSWERED & v.CLOSED_FOR_MERGING
    assert TRANSITIONS["merge"].target in v.CLOSED_FOR_MERGING and TRANSITIONS["archive"].target in v.CLOSED_FOR_MERGING
    assert v.SATISFIED | {v.UNSATISFIED} == set(v.RATINGS) and v.UNSATISFIED not in v.SATISFIED


def test_table_speaks_only_the_vocabulary() -> None:
    for row in TRANSITIONS.values():
        assert row.sources <= set(v.STATES) and (row.target is None or row.target in v.STATES), row.action
        assert row.roles <= set(v.WORKFLOW_ROLES), row.action


def test_type_aliases_match_the_tuples() -> None:
    assert get_args(v.Kind) == v.KINDS and get_args(v.Channel) == v.CHANNELS
    assert get_args(v.DueStatus) == v.DUE_STATUSES and get_args(v.WorkflowRole) == v.WORKFLOW_ROLES
    assert set(v.WORKFLOW_ROLE_OF_ACCOUNT) == set(v.ACCOUNT_ROLES)
    assert set(v.WORKFLOW_ROLE_OF_ACCOUNT.values()) <= set(v.WORKFLOW_ROLES)


# --- one home for the state names -----------------------------------------------------------------

def test_no_module_spells_out_a_state() -> None:
    """A string constant equal to a state (``"已受理"``) outside the vocabulary is a second home of it."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.value}"
             for path, tree in _modules() for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and node.value in v.STATES]
    assert not found, "import the state from ticketing.domain.vocabulary instead:\n" + "\n".join(found)


def test_the_literal_scan_would_see_one() -> None:
    tree = ast.parse('if ticket.state == "已受理":\n    pass\n')
    assert [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in v.STATES] == ["已受理"]
