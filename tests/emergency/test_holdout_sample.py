"""A seeded sample of the frozen emergency sets, as a floor in `make test` (the whole sets: `make bench-emergency`).

The sets (bench/data/emergency_holdout.yml, emergency_near_misses.yml) were written for the test alone
and frozen before the detector was built; they were read once, by the bench, on 2026-12-02 (recall
86.0 %, docs/nlu-evaluation.md). This test tunes nothing: it only fails when a change makes the
detector catch fewer of them or alarm on more ordinary messages than that first reading allows.
"""
from __future__ import annotations

import random
from pathlib import Path

import yaml

from emergency import detect

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
SAMPLE = 120
SEED = 15


def _sample(name: str, size: int) -> list[dict]:
    messages = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["messages"]
    return random.Random(SEED).sample(messages, min(size, len(messages)))


def test_most_sampled_emergencies_are_caught_with_a_right_number() -> None:
    sample = _sample("emergency_holdout.yml", SAMPLE)
    found = [(m, detect(m["text"])) for m in sample]
    caught = [(m, f) for m, f in found if f is not None]
    assert len(caught) / len(sample) >= 0.80, [m["id"] for m, f in found if f is None]
    right = [m for m, f in caught if f.numbers and f.numbers[0] in m["numbers"]]
    assert len(right) / len(caught) >= 0.90


def test_sampled_near_misses_rarely_alarm() -> None:
    sample = _sample("emergency_near_misses.yml", SAMPLE)
    alarms = [m["id"] for m in sample if detect(m["text"]) is not None]
    assert len(alarms) <= 0.05 * len(sample), alarms
