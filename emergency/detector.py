"""Is someone in danger now, and whom should the resident call? Hazards × urgent cues, per sentence.

Scoring, per sentence (and per pair of short neighbouring sentences): an alarm pattern counts 1, and
so does one of a hazard's objects close to one of its states (燃气 … 哧哧响, 脚手架 … 倒塌: the grid of
hazards and states, so that a new wording needs no new phrase); each distinct sign counts 0.5, an
urgent word close to an alarm or a sign 0.5, a call for help anywhere in the sentence 0.5. A situation
scoring 1 or more is an emergency, except in a letter that does not tell it as happening now. Where
no situation reaches 1, the sentence model (model.py) is asked about the sentences in which the rules
saw some hazard word; the hazard with the most such words there names the numbers. Which matches
count at all is decided in reading.py.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

from emergency.model import SentenceModel, default_model
from emergency.reading import Hit, Reading, overlaps, within
from emergency.rules import Rules, Situation, default_rules
from emergency.text import Span, normalise

ALARM, SIGN, URGENT = 1.0, 0.5, 0.5
THRESHOLD = 1.0
URGENT_REACH = 12  # an urgent word counts this close to an alarm or sign (characters between them)
PAIR_REACH = 12  # a hazard's object and state count together this close
LETTER_CHARS = 100  # a text this long, of several sentences, is read as a letter


@dataclass(frozen=True)
class Finding:
    """A detected emergency: what, whom to call (the first number first) and why, and what showed it.
    `model` is the sentence model's margin when the model, not a rule, decided."""

    hazard: str
    situation: str
    label: str
    numbers: Tuple[str, ...]
    reason: str
    cues: Tuple[str, ...]
    score: float
    sentence: str
    also: Tuple[str, ...] = ()
    model: Optional[float] = None


@dataclass(frozen=True)
class _Hit:
    situation: Situation
    score: float
    unit: Span
    spans: Tuple[Hit, ...]  # alarms, signs, urgent words: what the resident's words showed
    own: Tuple[Hit, ...]  # the alarms and signs alone
    evidence: int  # the situation's alarms and signs in the unit, and its objects and states when both are
    words: int  # any of the situation's words in the unit (alarms, signs, objects, states)


class Detector:
    """Reads messages with one set of rules (the packaged ones by default) and an optional model."""

    def __init__(self, rules: Optional[Rules] = None, model: Optional[SentenceModel] = None) -> None:
        self.rules = rules or default_rules()
        self.model = model

    def detect(self, text: Optional[str]) -> Optional[Finding]:
        """The emergency the message reports, or None when nobody seems in danger now."""
        reading = Reading(self.rules.rewrite(normalise(text or "")), self.rules.cues)
        letter = len(reading.text) >= LETTER_CHARS and len(reading.sentences) > 1
        seen = [h for unit in reading.units() for h in self._score(reading, unit)
                if not letter or reading.told_as_now(h.unit, h.own)]
        hits = sorted((h for h in seen if h.score >= THRESHOLD), key=lambda h: (-h.situation.priority, -h.score))
        if hits:
            return _finding(reading.text, hits)
        return self._ask_model(reading.text, seen, letter)

    def _score(self, reading: Reading, unit: Span) -> Iterator[_Hit]:
        cues = self.rules.cues
        for situation in self.rules.situations:
            alarms = reading.matches(situation.alarms, unit, situation)
            objects = reading.matches(situation.objects, unit, situation, situation.quiet)
            states = reading.matches(situation.states, unit, situation, situation.quiet)
            alarms += _pair(objects, states)
            signs = [s for s in reading.matches(situation.signs, unit, situation, situation.quiet)
                     if not any(overlaps(s, a) for a in alarms)]  # a sign inside an alarm adds nothing
            if not (alarms or signs or objects or states):
                continue
            own = alarms + signs
            near = [u for u in reading.find(cues.urgent, unit) if any(within(u, o, URGENT_REACH) for o in own)]
            urgent = [u for u in near + reading.find(cues.help_now, unit) if not any(overlaps(u, o) for o in own)]
            score = ALARM * bool(alarms) + SIGN * len({reading.text[s:e] for s, e in signs}) + URGENT * bool(urgent and own)
            spans = tuple(own + urgent[:1]) if own else tuple(objects + states)
            # what the model may build on: a sign, or an object and a state (楼 alone is in every letter)
            evidence = len(own) + (len(objects) + len(states) if objects and states else 0)
            yield _Hit(situation, score, unit, spans, tuple(own), evidence, len(own) + len(objects) + len(states))

    def _ask_model(self, text: str, seen: List[_Hit], letter: bool) -> Optional[Finding]:
        """The model's reading of the sentences where the rules saw hazard words but no emergency: in a
        chat message any hazard word will do ("水库" in "去水库游泳，只游回来一个"); in a letter only a sign,
        or an object with a state, since every letter has a 楼 or a 火 in it somewhere."""
        seen = [h for h in seen if (h.evidence if letter else h.words)]
        if self.model is None or not seen:
            return None
        units = {h.unit: self.model.margin(text[h.unit.start:h.unit.end]) for h in seen}
        unit, margin = max(units.items(), key=lambda item: item[1])
        if margin < self.model.threshold:
            return None
        here = sorted((h for h in seen if h.unit == unit), key=lambda h: (-h.words, -h.score))
        best = dataclasses.replace(here[0], score=THRESHOLD)
        return _finding(text, [best], model=margin)


def _pair(objects: List[Hit], states: List[Hit]) -> List[Hit]:
    """The first object and state close together, as one alarm spanning both."""
    for obj in objects:
        for state in states:
            if not overlaps(obj, state) and within(obj, state, PAIR_REACH):
                return [(min(obj[0], state[0]), max(obj[1], state[1]))]
    return []


def _finding(text: str, hits: List[_Hit], model: Optional[float] = None) -> Finding:
    """The best hit names the hazard and the reason; every hit adds its numbers, best first."""
    best = hits[0].situation
    numbers = tuple(dict.fromkeys(n for hit in hits for n in hit.situation.numbers))
    also = tuple(dict.fromkeys(h.situation.hazard for h in hits if h.situation.hazard != best.hazard))
    kept: List[Hit] = []
    for span in hits[0].spans:  # alarms first: a longer object-state pair over one is not repeated
        if not any(overlaps(span, k) for k in kept):
            kept.append(span)
    unit = hits[0].unit
    return Finding(hazard=best.hazard, situation=best.name, label=best.label, numbers=numbers,
                   reason=best.reason, cues=tuple(dict.fromkeys(text[s:e] for s, e in kept)),
                   score=hits[0].score, sentence=text[unit.start:unit.end], also=also, model=model)


_DEFAULT: List[Detector] = []


def default_detector() -> Detector:
    """The packaged rules and model, built on first use (the model trains in a tenth of a second)."""
    if not _DEFAULT:
        _DEFAULT.append(Detector(default_rules(), default_model()))
    return _DEFAULT[0]


def detect(text: Optional[str]) -> Optional[Finding]:
    """The packaged detector's reading of `text` (see Detector.detect)."""
    return default_detector().detect(text)
