"""The emergency bench's own parts: intervals, the fixed split of the real messages, example files."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.emergency_eval import load_examples, right_number, wilson
from bench.real_messages import half_of
from emergency import detect


def test_wilson_interval() -> None:
    assert wilson(0, 50)[0] == 0.0 and wilson(50, 50)[1] == pytest.approx(1.0)
    low, high = wilson(95, 100)
    assert low == pytest.approx(0.888, abs=0.001) and high == pytest.approx(0.978, abs=0.001)


def test_the_split_depends_on_the_text_alone_and_halves_it() -> None:
    texts = [f"第{i}条留言：路灯坏了" for i in range(2000)]
    assert [half_of(t) for t in texts] == [half_of(t) for t in texts]
    share = sum(half_of(t) == "development" for t in texts) / len(texts)
    assert 0.45 < share < 0.55


def test_example_files_in_the_shapes_a_writer_may_choose(tmp_path: Path) -> None:
    listed = tmp_path / "a.yml"
    listed.write_text('- 有人落水\n- {text: 着火了, number: "119/110", hazard: fire}\n', encoding="utf-8")
    mapped = tmp_path / "b.yml"
    mapped.write_text('examples:\n  - {message: 燃气费太贵, emergency: false}\n', encoding="utf-8")
    first, second = load_examples(listed, emergency=True)
    assert (first.text, first.emergency, first.numbers) == ("有人落水", True, ())
    assert (second.numbers, second.hazard) == (("119", "110"), "fire")
    (third,) = load_examples(mapped, emergency=True)
    assert (third.text, third.emergency) == ("燃气费太贵", False)


def test_right_number_is_the_first_number_told() -> None:
    found = detect("出车祸了")
    assert right_number(found, ("122",)) is True and right_number(found, ("119",)) is False
    assert right_number(found, ()) is None
