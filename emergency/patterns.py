"""The small pattern language of the rule files, compiled to regular expressions.

A rule is a regular expression over the normalised text with two additions, so that an operator can
read and extend the lists without writing regex by hand:
- "…" stands for a gap of up to 6 characters inside the sentence, "……" for up to 16
  ("燃气…漏" matches "燃气管道在漏");
- every character listed in `variants` (cues.yml) also matches its look-alikes and homophones
  ("煤气" also matches "煤汽"), so typos need not be listed rule by rule.
"""
from __future__ import annotations

import re
from typing import Dict, Iterable, List, Pattern

SHORT_GAP = ".{0,6}"
LONG_GAP = ".{0,16}"


def _with_variants(rule: str, variants: Dict[str, str]) -> str:
    """Each listed character outside a [...] class becomes a class of itself and its variants."""
    out: List[str] = []
    in_class = False
    for char in rule:
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        out.append(f"[{char}{variants[char]}]" if char in variants and not in_class else char)
    return "".join(out)


def compile_rule(rule: str, variants: Dict[str, str]) -> Pattern[str]:
    """One rule of a YAML list as a compiled expression; a broken rule fails loudly at load time."""
    expanded = _with_variants(rule, variants).replace("……", LONG_GAP).replace("…", SHORT_GAP)
    try:
        return re.compile(expanded)
    except re.error as error:
        raise ValueError(f"emergency rule {rule!r} is not a valid pattern: {error}") from error


def compile_rules(rules: Iterable[str], variants: Dict[str, str]) -> List[Pattern[str]]:
    return [compile_rule(str(rule), variants) for rule in rules or ()]
