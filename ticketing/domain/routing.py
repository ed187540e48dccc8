"""Routing (派单): which department leads a ticket (and which assist), decided by data rules.

The most specific rule wins. A rule may be territorial (属地): it names no department and hands the
ticket to the government of the ticket's own district, so one row covers all 13 districts.
``territorial_fallback`` (属地兜底), when switched on in routing.yml, sends tickets no rule claims to
the government of their district instead of the hotline queue.

``Router.decide`` gives the whole decision in one object: the department and its assists, the rule
and which part of the table applied, and whether the ticket waits for hotline staff and why. The
service dispatches by it and the staff page explains it; neither re-applies a rule of its own.

Pure: takes the category path, district and classifier confidence, returns a decision. No database, no web.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
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
class Match:
    """What the rule table alone says; ``rule`` is None when the catch-all applied; ``assist`` lists 协办."""

    department: str
    rule: Rule | None

    @property
    def assist(self) -> tuple[str, ...]:
        return self.rule.assist if self.rule else ()

    @property
    def is_default(self) -> bool:
        return self.rule is None


class Applied(StrEnum):
    """Which part of the table chose the department."""

    RULE = "rule"
    TERRITORIAL_FALLBACK = "territorial_fallback"  # 属地兜底: no rule, the district's government
    CATCH_ALL = "catch_all"  # no rule: the default, the hotline's own triage queue


class Hold(StrEnum):
    """Why a ticket waits in the hotline queue for staff instead of being dispatched."""

    LOW_CONFIDENCE = "low_confidence"  # the caller's classifier was unsure of the category
    NO_RULE = "no_rule"  # the catch-all applied
    TRIAGE = "triage"  # a rule deliberately leaves the category to hotline staff (department: hotline)
    UNKNOWN_DEPARTMENT = "unknown_department"  # the rule names a code the directory does not know


@dataclass(frozen=True)
class RoutingDecision:
    """The whole routing answer for one ticket.

    ``department`` is the suggested lead even when the ticket is held, so staff see what the table
    would do; ``assist`` holds only known departments, never the lead. A low confidence outranks the
    other reasons to hold: it is the one the creation note tells staff about.
    """

    department: str
    assist: tuple[str, ...]
    rule: Rule | None
    applied: Applied
    hold: Hold | None
    is_default: bool  # ``department`` is the hotline's own queue
    confidence: float | None  # the caller's classifier's, when it chose the category
    threshold: float  # the table's min_category_confidence, for the staff page's explanation

    @property
    def held(self) -> bool:
        return self.hold is not None

    @property
    def unsure(self) -> bool:
        return self.hold is Hold.LOW_CONFIDENCE


class Router:
    """Applies the rule table; the default is the hotline's own triage queue.

    ``departments`` are the codes the directory knows; None (a table tried on its own) trusts every code.
    """

    def __init__(self, rules: list[Rule], default: str, territorial_fallback: bool = False,
                 district_governments: dict[str, str] | None = None, min_category_confidence: float = 0.0,
                 departments: frozenset[str] | None = None) -> None:
        self.rules = rules
        self.default = default
        self.territorial_fallback = territorial_fallback
        self.district_governments = district_governments or {}
        self.min_category_confidence = min_category_confidence
        self.departments = departments

    @classmethod
    def from_data(cls, data: dict[str, Any], district_governments: dict[str, str] | None = None,
                  departments: frozenset[str] | None = None) -> "Router":
        """Rules from routing.yml; ``district_governments`` (district → code) serves 属地 rows and 属地兜底."""
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
                   district_governments, float(threshold), departments)

    def knows(self, code: str) -> bool:
        return self.departments is None or code in self.departments

    def too_unsure(self, confidence: float | None) -> bool:
        """A classifier's category this unsure is a suggestion for staff, not grounds to dispatch."""
        return confidence is not None and confidence < self.min_category_confidence

    def route(self, category: Sequence[str], district: str | None = None) -> Match:
        """The most specific matching rule's department, else the default."""
        local = self.district_governments.get(district or "")
        matching = [r for r in self.rules if r.matches(category, district) and (local or not r.territorial)]
        if not matching:
            return Match(self.default, None)
        best = max(matching, key=Rule.specificity)
        return Match(local if best.territorial and local else best.department, best)

    def decide(self, category: Sequence[str], district: str | None = None,
               confidence: float | None = None) -> RoutingDecision:
        """The rule table, then 属地兜底 for what no rule claims, then the reasons to leave it to staff.

        ``confidence`` is the caller's classifier's for its own category; None when the category came
        from anywhere else (keywords, staff), which is never grounds to hold.
        """
        match = self.route(category, district)
        department, applied = match.department, Applied.RULE if match.rule else Applied.CATCH_ALL
        local = self.district_governments.get(district or "")
        if match.rule is None and self.territorial_fallback and local:
            department, applied = local, Applied.TERRITORIAL_FALLBACK
        assist = tuple(a for a in match.assist if self.knows(a) and a != department)
        return RoutingDecision(department, assist, match.rule, applied, self._hold(department, applied, confidence),
                               department == self.default, confidence, self.min_category_confidence)

    def _hold(self, department: str, applied: Applied, confidence: float | None) -> Hold | None:
        if self.too_unsure(confidence):
            return Hold.LOW_CONFIDENCE
        if department == self.default:
            return Hold.NO_RULE if applied is Applied.CATCH_ALL else Hold.TRIAGE
        return None if self.knows(department) else Hold.UNKNOWN_DEPARTMENT


@lru_cache(maxsize=1)
def default_router() -> Router:
    from ticketing.domain.departments import default_directory

    directory = default_directory()
    return Router.from_data(load_yaml("routing.yml"), directory.district_governments(),
                            frozenset(d.code for d in directory.all()))
