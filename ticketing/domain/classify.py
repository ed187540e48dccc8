"""Keyword category suggestion for texts that arrive without a category, and the emergency flag.

A transparent fallback the hotline manager can edit (``config/keywords.yml``); the bot's
statistical classifier is the primary one. Danger to life is read by the top-level ``emergency``
package, the same detector the bot uses, so the resident's first reply and the ticket agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import emergency as danger

from ticketing.core.configfiles import load_yaml


@dataclass(frozen=True)
class Suggestion:
    """A suggested category path and the words that led to it (shown to staff as the reason)."""

    category: list[str]
    matched: list[str]


@dataclass(frozen=True)
class Emergency:
    """Which emergency number the resident should call first (and what it is for), the words that
    showed the danger, and the detector's whole reading: every number, the hazard, the score."""

    number: str
    use: str
    matched: list[str]
    numbers: tuple[str, ...] = ()
    hazard: str = ""
    label: str = ""
    score: float = 0.0

    @classmethod
    def from_finding(cls, found: danger.Finding) -> "Emergency":
        first = found.numbers[0]
        return cls(first, danger.NUMBER_USES.get(first, ""), list(found.cues), found.numbers,
                   found.hazard, found.label, found.score)


class KeywordClassifier:
    """Scores each rule by the characters its matched keywords cover; best rule wins."""

    def __init__(self, rules: list[tuple[list[str], list[str]]]) -> None:
        self.rules = [(cat, sorted(set(words), key=len, reverse=True)) for cat, words in rules]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "KeywordClassifier":
        return cls([(list(r["category"]), list(r["keywords"])) for r in data.get("rules", [])])

    def emergency(self, text: str) -> Emergency | None:
        """Danger to life in ``text`` as the ``emergency`` package reads it (hazards × urgent cues)."""
        found = danger.detect(text)
        return Emergency.from_finding(found) if found else None

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
    """The configured keywords; the emergency detector is built here too (rules and its sentence model,
    about a second with scikit-learn's import), at start-up rather than in a resident's first request."""
    danger.default_detector()
    return KeywordClassifier.from_data(load_yaml("keywords.yml"))
