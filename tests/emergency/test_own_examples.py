"""Our own example files (emergency/examples) stay caught, with the right number, and the ordinary ones
stay quiet: a change to the rules that loses one of them fails here. The frozen holdout is measured by
`make bench-emergency`, never read by tests or while tuning."""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

from bench.emergency_eval import Example, load_examples
from emergency import detect

DATA = Path(__file__).resolve().parents[2] / "emergency" / "examples"


def _examples(pattern: str, emergency: bool) -> List[Example]:
    return [e for path in sorted(DATA.glob(pattern)) for e in load_examples(path, emergency=emergency)]


EMERGENCIES = _examples("emergencies*.yml", emergency=True)
ORDINARY = _examples("ordinary*.yml", emergency=False)


def test_the_files_are_what_the_bench_expects() -> None:
    assert len(EMERGENCIES) >= 400 and len(ORDINARY) >= 200
    hazards = {"fire", "gas", "electricity", "water", "structure", "traffic", "violence", "medical", "people_at_risk"}
    assert {e.hazard for e in EMERGENCIES} == hazards
    assert all(e.numbers and set(e.numbers) <= {"110", "119", "120", "122"} for e in EMERGENCIES)


@pytest.mark.parametrize("example", EMERGENCIES, ids=lambda e: e.where)
def test_every_own_emergency_is_caught_with_a_right_first_number(example: Example) -> None:
    found = detect(example.text)
    assert found is not None, example.text
    assert found.numbers[0] in example.numbers, (found.numbers, example.text)


@pytest.mark.parametrize("example", ORDINARY, ids=lambda e: e.where)
def test_no_own_ordinary_message_alarms(example: Example) -> None:
    assert detect(example.text) is None, example.text
