"""Retrieval over our own question/answer file (bot/kb/consultations.yml) for consultations.

Why char n-gram TF-IDF and a threshold: residents ask the same thing in many words ("公积金怎么取",
"租房能提公积金吗"); character 1–3-grams match those without a word segmenter, build in milliseconds
inside the action server, and a cosine threshold turns "not in the file" into "file a 咨询 ticket"
instead of a wrong answer. The index is built once per process, on first use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

KB_FILE = Path(__file__).resolve().parent.parent / "bot" / "kb" / "consultations.yml"
THRESHOLD = 0.42
_FILLER_RE = re.compile(
    r"^(?:您好|你好|喂)?[，,！!\s]*(?:请问一下|请问|想问一下|想问|我想咨询一下|我想咨询|想咨询一下|咨询一下|想了解一下|我想知道|问一下)?[，,：:\s]*"
)
# How-to words every question shares; left in, they make "残疾证怎么办理" match "居住证怎么办理".
_GENERIC_RE = re.compile(
    r"怎么办理|如何办理|怎样办理|怎么办|怎么弄|怎么申请|如何申请|怎么申领|需要什么材料|要什么材料|需要哪些材料|"
    r"什么材料|需要什么条件|要什么条件|什么条件|在哪里办|去哪里办|在哪办|去哪办|在哪里|哪里|是多少|多少钱|"
    r"怎么|如何|怎样|什么|哪些|需要|可以|能不能|能否|吗|呢|啊|的|了|我|请问|一下"
)
_TAIL_RE = re.compile(r"[？?。！!，,\s]*(?:谢谢|麻烦了|多谢)?[？?。！!\s]*$")


@dataclass(frozen=True)
class Entry:
    """One answer and the ways residents ask for it."""

    id: str
    topic: str
    department: str
    questions: Tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Match:
    """The best entry for a question and how close it is (cosine, 0–1)."""

    entry: Entry
    score: float


def normalise_question(text: str) -> str:
    """Drop greetings and politeness that every question shares and that would only add noise."""
    text = _TAIL_RE.sub("", _FILLER_RE.sub("", (text or "").strip(), count=1))
    return _GENERIC_RE.sub("", text) or text


class KnowledgeBase:
    """Entries plus a TF-IDF index over their questions (one row per question)."""

    def __init__(self, entries: List[Entry], note: str = "") -> None:
        self.entries = entries
        self.note = note
        self._rows = [(i, q) for i, e in enumerate(entries) for q in (*e.questions, e.topic)]
        self._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform([normalise_question(q) for _, q in self._rows])

    @classmethod
    def from_file(cls, path: Path = KB_FILE) -> "KnowledgeBase":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = [
            Entry(str(e["id"]), str(e["topic"]), str(e["department"]), tuple(e["questions"]), str(e["answer"]).strip())
            for e in data.get("entries", [])
        ]
        return cls(entries, str(data.get("note_to_resident", "")))

    def best(self, question: str) -> Optional[Match]:
        """The closest entry, whatever its score (None for an empty question)."""
        text = normalise_question(question)
        if not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", text):
            return None
        scores = linear_kernel(self._vectorizer.transform([text]), self._matrix)[0]
        row = int(scores.argmax())
        return Match(self.entries[self._rows[row][0]], float(scores[row]))

    def answer(self, question: str, threshold: float = THRESHOLD) -> Optional[Match]:
        """The entry that answers the question, or None when nothing is close enough."""
        match = self.best(question)
        return match if match and match.score >= threshold else None

    def reply_text(self, match: Match) -> str:
        """The answer as the resident reads it, with the note to check with the department."""
        note = self.note.format(department=match.entry.department) if self.note else ""
        return f"{match.entry.answer}  \n{note}".strip()  # markdown line break in the widget


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The process-wide knowledge base, loaded on first use."""
    return KnowledgeBase.from_file()
