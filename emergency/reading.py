"""One message as the rules see it: its normalised text, its sentences, and which matches count.

A match does not count when it lies in a phrase that only looks like the hazard (救命钱), right after a
negation (没有着火), or near words that say it is not happening to someone now: a risk, suggestion,
fee or procedure in its clause (存在火灾隐患, 建议…), a condition or a past time before it in its
sentence (万一…, 去年…), a story told for redress anywhere in its sentence (…后来去世) — unless its
clause puts it now (去年着过火，现在又着火了).
"""
from __future__ import annotations

import bisect
from typing import List, Optional, Pattern, Sequence, Tuple

from emergency.rules import Cues, Situation
from emergency.text import Span, clause_around, sentences

Hit = Tuple[int, int]  # [start, end) in the normalised text
NEGATION_WINDOW = 3  # characters before a match where 没有/不是 silence it
SHORT_SENTENCE = 30  # two neighbouring sentences this short are read together (chat comes in bursts)


def overlaps(a: Hit, b: Hit) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def within(a: Hit, b: Hit, reach: int) -> bool:
    """a and b at most `reach` characters apart."""
    return a[0] < b[1] + reach and b[0] < a[1] + reach


def part_of(guard: Hit, match: Hit) -> bool:
    """A guard at the very start or end of a match is part of its words (昏过去 holds 过去); one in the
    gap of a long match is not (房子…随时都可能…垮塌)."""
    inside = match[0] <= guard[0] and guard[1] <= match[1]
    return inside and (guard[0] == match[0] or guard[1] == match[1])


class Reading:
    """The normalised text of one message with its sentences, read against the shared cues."""

    def __init__(self, text: str, cues: Cues) -> None:
        self.text, self.cues = text, cues
        self.sentences = sentences(text)
        self._starts = [s.start for s in self.sentences]

    def units(self) -> List[Span]:
        """Each sentence, and each pair of short neighbouring sentences."""
        spans = self.sentences
        pairs = [Span(a.start, b.end) for a, b in zip(spans, spans[1:])
                 if a.end - a.start <= SHORT_SENTENCE and b.end - b.start <= SHORT_SENTENCE]
        return spans + pairs

    def find(self, patterns: Sequence[Pattern[str]], span: Span) -> List[Hit]:
        """Each pattern's first match inside span."""
        found = (p.search(self.text, span.start, span.end) for p in patterns)
        return [m.span() for m in found if m]

    def matches(self, patterns: Sequence[Pattern[str]], unit: Span, situation: Situation,
                quiet: Sequence[Pattern[str]] = ()) -> List[Hit]:
        """Every match in the unit that is not silenced and overlaps none found before it."""
        found: List[Hit] = []
        for pattern in patterns:
            for match in pattern.finditer(self.text, unit.start, unit.end):
                hit = match.span()
                if not any(overlaps(hit, f) for f in found) and not self.silenced(hit, situation, quiet):
                    found.append(hit)
        return found

    def sentence_of(self, at: int) -> Span:
        return self.sentences[bisect.bisect_right(self._starts, at) - 1]

    def silenced(self, hit: Hit, situation: Situation, quiet: Sequence[Pattern[str]] = ()) -> bool:
        """True when the words around the match say it is not an emergency now (module docstring)."""
        sentence = self.sentence_of(hit[0])
        clause = Span(clause_around(self.text, sentence, hit[0]).start,
                      clause_around(self.text, sentence, hit[1] - 1).end)
        if any(overlaps(hit, m) for m in self.find(self.cues.not_hazard + situation.not_hazard, sentence)):
            return True
        if self.cues.negation.search(self.text, max(clause.start, hit[0] - NEGATION_WINDOW), hit[0]):
            return True
        if self.find(quiet, sentence):
            return True
        return not self.find(self.cues.now, clause) and self._guarded(hit, sentence, clause, situation)

    def _guarded(self, hit: Hit, sentence: Span, clause: Span, situation: Situation) -> bool:
        cues = self.cues
        guards = (self.find(cues.clause_guards, clause) + self.find(cues.before_guards, Span(sentence.start, clause.end))
                  + self.find(cues.sentence_guards, sentence) + self.find(situation.guards, sentence))
        return any(not part_of(guard, hit) for guard in guards)

    def told_as_now(self, unit: Span, own: Sequence[Hit]) -> bool:
        """Does the unit or the sentence after it say it is happening now (cues.yml, `present`), in words
        other than the hit's own?"""
        following: Optional[Span] = next((s for s in self.sentences if s.start >= unit.end), None)
        reach = Span(unit.start, following.end if following else unit.end)
        words = {self.text[s:e] for s, e in own}
        found = [p for pattern in self.cues.present for p in
                 (m.span() for m in pattern.finditer(self.text, reach.start, reach.end))]
        return any(self.text[s:e] not in words and not any(overlaps((s, e), o) for o in own) for s, e in found)
