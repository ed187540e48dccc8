"""Routing (派单): which department leads a ticket (and which assist), decided by data rules.

The most specific rule wins. ``territorial_fallback`` (属地兜底), when switched on in routing.yml,
sends tickets no rule claims to the government of their district instead of the hotline queue.

Pure: takes the category path and district, returns a decision. No database, no web.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from ticketing.configfiles import ConfigError, load_yaml


@dataclass(frozen=True)
class Rule:
    """One row of ``routing.yml``: a category prefix, an optional district, a department."""

    category: tuple[str, ...]
    department: str
    district: str | None = None
    position: int = 0
    assist: tuple[str, ...] = ()

    def matches(self, category: Sequence[str], district: str | None) -> bool:
        if self.district is not None and self.district != district:
            return False
        return len(self.category) <= len(category) and tuple(category[: len(self.category)]) == self.category

    def specificity(self) -> tuple[int, int, int]:
        """Longer category first, then district rules, then earlier rows."""
        return (len(self.category), 1 if self.district else 0, -self.position)


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

    def __init__(self, rules: list[Rule], default: str, territorial_fallback: bool = False) -> None:
        self.rules = rules
        self.default = default
        self.territorial_fallback = territorial_fallback

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Router":
        rules = []
        for pos, row in enumerate(data.get("rules", []) or []):
            if not row.get("department") or not row.get("category"):
                raise ConfigError(f"routing rule #{pos + 1} needs category and department: {row}")
            rules.append(Rule(tuple(row["category"]), row["department"], row.get("district"), pos,
                              tuple(row.get("assist") or ())))
        return cls(rules, data.get("default", "hotline"), bool(data.get("territorial_fallback", False)))

    def route(self, category: Sequence[str], district: str | None = None) -> Decision:
        """The most specific matching rule's department, else the default."""
        matching = [r for r in self.rules if r.matches(category, district)]
        if not matching:
            return Decision(self.default, None)
        best = max(matching, key=Rule.specificity)
        return Decision(best.department, best)


@lru_cache(maxsize=1)
def default_router() -> Router:
    return Router.from_data(load_yaml("routing.yml"))
