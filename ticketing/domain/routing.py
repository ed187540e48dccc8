"""Routing (派单): which department leads a ticket (and which assist), decided by data rules.

The most specific rule wins. A rule may be territorial (属地): it names no department and hands the
ticket to the government of the ticket's own district, so one row covers all 13 districts.
``territorial_fallback`` (属地兜底), when switched on in routing.yml, sends tickets no rule claims to
the government of their district instead of the hotline queue.

Pure: takes the category path and district, returns a decision. No database, no web.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from ticketing.core.configfiles import ConfigError, load_yaml

TERRITORIAL = "@district"  # routing.yml spelling of "the government of the ticket's district" (属地)


@dataclass(frozen=True)
class Rule:
    """One row of ``routing.yml``: a category prefix, an optional district, a department.

    ``territorial`` rows have department ``TERRITORIAL``: the district's own government answers.
    """

    category: tuple[str, ...]
    department: str
    district: str | None = None
    position: int = 0
    assist: tuple[str, ...] = ()

    @property
    def territorial(self) -> bool:
        return self.department == TERRITORIAL

    def matches(self, category: Sequence[str], district: str | None) -> bool:
        if self.district is not None and self.district != district:
            return False
        return len(self.category) <= len(category) and tuple(category[: len(self.category)]) == self.category

    def specificity(self) -> tuple[int, int, int]:
        """Longer category first, then a named district, then 属地 rows, then earlier rows."""
        place = 2 if self.district else 1 if self.territorial else 0
        return (len(self.category), place, -self.position)


@dataclass(frozen=True)
class Decision:
    """Routing result; ``rule`` is None when the catch-all applied; ``assist`` lists 协办 departments."""

    department: str
    rule: Rule | None

    @property
    def assist(self) -> tuple[str, ...]:
        return self.rule.assist if self.rule else ()

    @property
    def is_default(self) -> bool:
        return self.rule is None


class Router:
    """Applies the rule table; the default is the hotline's own triage queue."""

    def __init__(self, rules: list[Rule], default: str, territorial_fallback: bool = False,
                 district_governments: dict[str, str] | None = None, min_category_confidence: float = 0.0) -> None:
        self.rules = rules
        self.default = default
        self.territorial_fallback = territorial_fallback
        self.district_governments = district_governments or {}
        self.min_category_confidence = min_category_confidence

    @classmethod
    def from_data(cls, data: dict[str, Any], district_governments: dict[str, str] | None = None) -> "Router":
        """Rules from routing.yml; ``district_governments`` (district → code) serves 属地 rows."""
        rules = []
        for pos, row in enumerate(data.get("rules", []) or []):
            department = TERRITORIAL if row.get("territorial") else row.get("department")
            if not department or not row.get("category"):
                raise ConfigError(f"routing rule #{pos + 1} needs category and department: {row}")
            rules.append(Rule(tuple(row["category"]), department, row.get("district"), pos,
                              tuple(row.get("assist") or ())))
        threshold = data.get("min_category_confidence", 0.0)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise ConfigError(f"min_category_confidence must be a number from 0 to 1, not {threshold!r}")
        return cls(rules, data.get("default", "hotline"), bool(data.get("territorial_fallback", False)),
                   district_governments, float(threshold))

    def too_unsure(self, confidence: float | None) -> bool:
        """A classifier's category this unsure is a suggestion for staff, not grounds to dispatch."""
        return confidence is not None and confidence < self.min_category_confidence

    def route(self, category: Sequence[str], district: str | None = None) -> Decision:
        """The most specific matching rule's department, else the default."""
        local = self.district_governments.get(district or "")
        matching = [r for r in self.rules if r.matches(category, district) and (local or not r.territorial)]
        if not matching:
            return Decision(self.default, None)
        best = max(matching, key=Rule.specificity)
        return Decision(local if best.territorial and local else best.department, best)


@lru_cache(maxsize=1)
def default_router() -> Router:
    from ticketing.domain.departments import default_directory

    return Router.from_data(load_yaml("routing.yml"), default_directory().district_governments())
