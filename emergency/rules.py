"""The detector's rules, read from the two YAML files beside this module (an operator edits those).

hazards.yml says what each danger looks like and whom to call; cues.yml holds what every hazard
shares: urgent words, guards (past, risk, fees, suggestions), negations, typo variants.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Pattern, Tuple

import yaml

from emergency.patterns import compile_rule, compile_rules

HERE = Path(__file__).resolve().parent
_WORD_RE = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Situation:
    """One way a hazard endangers someone, with the numbers to call for it and why."""

    hazard: str
    name: str
    label: str
    numbers: Tuple[str, ...]
    reason: str
    alarms: Tuple[Pattern[str], ...]
    signs: Tuple[Pattern[str], ...]
    objects: Tuple[Pattern[str], ...]
    states: Tuple[Pattern[str], ...]
    not_hazard: Tuple[Pattern[str], ...]
    quiet: Tuple[Pattern[str], ...]
    guards: Tuple[Pattern[str], ...]
    priority: int = 0  # among emergencies found in one message, the higher is told first


@dataclass(frozen=True)
class Cues:
    """What every hazard shares."""

    urgent: Tuple[Pattern[str], ...]
    clause_guards: Tuple[Pattern[str], ...]
    before_guards: Tuple[Pattern[str], ...]
    sentence_guards: Tuple[Pattern[str], ...]
    now: Tuple[Pattern[str], ...]
    present: Tuple[Pattern[str], ...]
    help_now: Tuple[Pattern[str], ...]
    negation: Pattern[str]
    not_hazard: Tuple[Pattern[str], ...]


@dataclass(frozen=True)
class Rules:
    situations: Tuple[Situation, ...]
    cues: Cues
    dialect: Tuple[Tuple[Pattern[str], str], ...] = ()

    def rewrite(self, text: str) -> str:
        """Dialect forms, English words and pinyin as Mandarin (cues.yml, `dialect` and `english`)."""
        for pattern, mandarin in self.dialect:
            text = pattern.sub(mandarin, text)
        return text


def _read(name: str) -> Dict[str, Any]:
    with (HERE / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def _expand(rules: List[str], words: Mapping[str, str]) -> List[str]:
    """{person} and the like become the alternatives listed under `words`."""
    def word(match: "re.Match[str]") -> str:
        if match.group(1) not in words:
            raise ValueError(f"emergency rules: unknown word list {{{match.group(1)}}}")
        return words[match.group(1)]
    return [_WORD_RE.sub(word, str(rule)) for rule in rules or ()]


def _situations(key: str, spec: Mapping[str, Any], words: Mapping[str, str],
                variants: Mapping[str, str]) -> List[Situation]:
    """The hazard's own situation first, then its named ones, which inherit what they do not say."""
    def make(name: str, part: Mapping[str, Any]) -> Situation:
        def patterns(field: str, inherit: bool = False) -> Tuple[Pattern[str], ...]:
            own = _expand(part.get(field) or [], words)
            inherits = inherit and part is not spec and part.get("inherit", True)
            shared = _expand(spec.get(field) or [], words) if inherits else []
            return tuple(compile_rules(own + shared, dict(variants)))
        return Situation(
            hazard=key, name=name, label=str(part.get("label") or spec["label"]),
            numbers=tuple(str(n) for n in part.get("numbers") or spec["numbers"]),
            reason=str(part.get("reason") or spec["reason"]), alarms=patterns("alarms"),
            signs=patterns("signs"), objects=patterns("objects"), states=patterns("states"),
            not_hazard=patterns("not_hazard", inherit=True),
            quiet=patterns("quiet", inherit=True), guards=patterns("guards", inherit=True),
            priority=int(part.get("priority") or 0))
    return [make(key, spec)] + [make(str(s["name"]), s) for s in spec.get("situations") or ()]


def load_rules(hazards: Mapping[str, Any], cues: Mapping[str, Any]) -> Rules:
    """Rules from the two files' contents (tests pass their own)."""
    variants = {str(k): str(v) for k, v in (cues.get("variants") or {}).items()}
    words = {str(k): str(v) for k, v in (hazards.get("words") or {}).items()}
    situations = [s for key, spec in (hazards.get("hazards") or {}).items()
                  for s in _situations(str(key), spec, words, variants)]
    guards = cues.get("guards") or {}
    cue = lambda field: tuple(compile_rules(field or [], variants))  # noqa: E731
    rewrites = {**(cues.get("dialect") or {}), **(cues.get("english") or {})}
    dialect = tuple((compile_rule(str(k), {}), str(v)) for k, v in rewrites.items())
    return Rules(tuple(situations), dialect=dialect, cues=Cues(
        urgent=cue(cues.get("urgent")), clause_guards=cue(guards.get("clause")),
        before_guards=cue(guards.get("before")), sentence_guards=cue(guards.get("sentence")),
        now=cue(cues.get("now")), present=cue(cues.get("present")), help_now=cue(cues.get("help_now")),
        negation=compile_rule(str(cues.get("negations") or "(?!)"), {}),
        not_hazard=cue(cues.get("not_hazard"))))


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The packaged rules, read once per process."""
    return load_rules(_read("hazards.yml"), _read("cues.yml"))
