"""The NLU component that turns word-less messages into nlu_fallback."""
from __future__ import annotations

import pytest

rasa_message = pytest.importorskip("rasa.shared.nlu.training_data.message")

from bot.components.no_text_guard import NoTextGuard, has_no_words  # noqa: E402


@pytest.mark.parametrize("text, expected", [("", True), ("😀😀", True), ("？？…", True), ("路灯", False), ("ok", False)])
def test_has_no_words(text: str, expected: bool) -> None:
    assert has_no_words(text) is expected


def test_overrides_the_intent_of_emoji_only_messages() -> None:
    emoji = rasa_message.Message(data={"text": "😀", "intent": {"name": "affirm", "confidence": 0.7}})
    words = rasa_message.Message(data={"text": "你好", "intent": {"name": "greet", "confidence": 0.9}})
    NoTextGuard().process([emoji, words])
    assert emoji.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert words.get("intent")["name"] == "greet"
