"""The emergency detector in the bot's environment (Python 3.10, scikit-learn 1.1): it must read our own
examples exactly as tests/emergency does in the service's (scikit-learn 1.9), since the bot's first reply
and the service's urgent flag come from the same package with a model trained in each process."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.emergency_eval import load_examples
from emergency import detect
from emergency.detector import default_detector

EXAMPLES = Path(__file__).resolve().parents[2] / "emergency" / "examples"


def test_the_model_trains_here() -> None:
    assert default_detector().model is not None


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yml")), ids=lambda p: p.name)
def test_own_examples_read_as_in_the_service(path: Path) -> None:
    emergency = path.name.startswith("emergencies")
    examples = load_examples(path, emergency=emergency)
    wrong = [e.text for e in examples if (detect(e.text) is not None) != emergency
             or (emergency and detect(e.text).numbers[0] not in e.numbers)]
    assert wrong == []
