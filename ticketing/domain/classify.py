"""Keyword category suggestion for texts that arrive without a category.

A transparent fallback the hotline manager can edit (``config/keywords.yml``); the bot's
statistical classifier is the primary one.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ticketing.core.configfiles import load_yaml


@dataclass(frozen=True)
class Suggestion:
    """A suggested category path and the words that led to it (shown to staff as the reason)."""

    category: list[str]
    matched: list[str]


@dataclass(frozen=True)
class Emergency:
    """Which emergency number the resident should call, and the words that showed the danger."""

    number: str
    use: str
    matched: list[str]


class KeywordClassifier:
    """Scores each rule by the characters its matched keywords cover; best rule wins."""

    def __init__(self, rules: list[tuple[list[str], list[str]]],
                 emergencies: list[dict[str, Any]] | None = None) -> None:
        self.rules = [(cat, sorted(set(words), key=len, reverse=True)) for cat, words in rules]
        self.emergencies = emergencies or []

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "KeywordClassifier":
        return cls([(list(r["category"]), list(r["keywords"])) for r in data.get("rules", [])],
                   list(data.get("emergencies") or []))

    def emergency(self, text: str) -> Emergency | None:
        """The first emergency group whose words occur in ``text``."""
        for group in self.emergencies:
            matched = _matches((text or "").lower(), sorted(group["keywords"], key=len, reverse=True))
            if matched:
                return Emergency(str(group["number"]), group.get("use", ""), matched)
        return None

    def suggest(self, text: str) -> Suggestion | None:
        """Best category for ``text`` or None when no keyword occurs."""
        text = (text or "").lower()
        best: Suggestion | None = None
        best_score = 0
        for category, words in self.rules:
            matched = _matches(text, words)
            score = sum(len(w) for w in matched)
            if score > best_score:
                best, best_score = Suggestion(list(category), matched), score
        return best


def _matches(text: str, words: list[str]) -> list[str]:
    """Keywords found in ``text``; a word inside a longer matched word is not counted twice."""
    found: list[str] = []
    for word in words:
        if word.lower() in text and not any(word in longer for longer in found):
            found.append(word)
    return found


@lru_cache(maxsize=1)
def default_classifier() -> KeywordClassifier:
    return KeywordClassifier.from_data(load_yaml("keywords.yml"))
