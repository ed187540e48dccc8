"""docs/workflow.md must agree with the transition table in ticketing/domain/workflow.py.

Checks the Mermaid diagram (every state-changing move, nothing more) and the action table (every
action with its label, source states, target and roles). Fails when one changes without the other.
"""
from __future__ import annotations

import re
from pathlib import Path

from ticketing.domain.vocabulary import OPEN
from ticketing.domain.workflow import TRANSITIONS

DOC = Path(__file__).resolve().parents[3] / "docs" / "workflow.md"
# A move the table cannot show: reopen's effect returns a ticket the hotline owned to 已受理.
EFFECT_TARGETS = {("已回访", "已受理", "reopen")}
EDGE = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)\s*(?::\s*(.*))?$")


def _mermaid() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert block, "docs/workflow.md has no mermaid block"
    lines = block.group(1).splitlines()
    assert lines[0].strip() == "stateDiagram-v2"
    return lines


def _diagram_edges() -> set[tuple[str, str, str]]:
    lines = _mermaid()
    names = dict(re.findall(r'state "([^"]+)" as (\w+)', "\n".join(lines)))
    ids = {v: k for k, v in names.items()}
    edges = set()
    for line in lines:
        match = EDGE.match(line)
        if match and "[*]" not in (match.group(1), match.group(2)):
            action = (match.group(3) or "").split()[1]
            edges.add((ids[match.group(1)], ids[match.group(2)], action))
    return edges


def _table_edges() -> set[tuple[str, str, str]]:
    return {(s, t.target, t.action) for t in TRANSITIONS.values() if t.target for s in t.sources} | EFFECT_TARGETS


def test_diagram_matches_transition_table() -> None:
    diagram, table = _diagram_edges(), _table_edges()
    assert sorted(table - diagram) == [], "moves in workflow.py missing from the diagram"
    assert sorted(diagram - table) == [], "moves in the diagram that workflow.py does not allow"


def test_diagram_labels_are_the_table_labels() -> None:
    for line in _mermaid():
        match = EDGE.match(line)
        if match and match.group(3) and match.group(3).split()[1] in TRANSITIONS:
            label, action = match.group(3).split()[:2]
            assert label == TRANSITIONS[action].label, line


def _doc_rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `(\w+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def _states(cell: str) -> set[str]:
    cell = cell.split("(")[0].strip()
    return set(OPEN) if cell == "open" else {s.strip() for s in cell.split(",") if s.strip()}


def test_action_table_matches_transition_table() -> None:
    rows = _doc_rows()
    assert sorted(rows) == sorted(TRANSITIONS)
    for action, (label, sources, target, roles, *_rest) in rows.items():
        row = TRANSITIONS[action]
        assert label == row.label, action
        assert _states(sources) == set(row.sources), action
        assert (target.split()[0] if row.target else target) == (row.target or "(unchanged)"), action
        assert {r.strip() for r in roles.split(",")} == set(row.roles), action
