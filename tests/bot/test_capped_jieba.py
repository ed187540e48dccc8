"""The tokenizer reads only the start of long letters and fingerprints its dictionary."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("rasa")

from bot.components.capped_jieba import CappedJiebaTokenizer, dictionary_hash  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

DICTIONARY = Path(__file__).resolve().parents[2] / "bot" / "jieba_dict"


def tokenizer(max_chars: int) -> CappedJiebaTokenizer:
    config = {**CappedJiebaTokenizer.get_default_config(), "dictionary_path": str(DICTIONARY), "max_chars": max_chars}
    return CappedJiebaTokenizer(config, None, None)  # type: ignore[arg-type]


def test_keeps_place_words_whole_and_stops_at_the_cap() -> None:
    CappedJiebaTokenizer._load_custom_dictionary(str(DICTIONARY))
    words = [t.text for t in tokenizer(9).tokenize(Message(data={"text": "光谷大道和高新大道路口的路灯坏了"}), "text")]
    assert words == ["光谷大道", "和", "高新大道"]


def test_dictionary_changes_change_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("光谷大道 2000 ns\n", encoding="utf-8")
    before = dictionary_hash(str(tmp_path))
    (tmp_path / "a.txt").write_text("光谷大道 2000 ns\n珞喻路 2000 ns\n", encoding="utf-8")
    assert before and before != dictionary_hash(str(tmp_path))
    assert CappedJiebaTokenizer.fingerprint_addon({"dictionary_path": None}) is None
