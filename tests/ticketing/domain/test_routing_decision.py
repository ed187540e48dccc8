"""``Router.decide``: the whole routing decision, each outcome, without a database or a web server."""
from dataclasses import FrozenInstanceError

import pytest

from ticketing.domain.routing import Applied, Hold, Router, default_router

GOVERNMENTS = {"江汉区": "district-jianghan", "江岸区": "district-jiangan"}
KNOWN = frozenset({"hotline", "gas-supply", "urban-management", "natural-resources", "district-jianghan",
                   "district-jiangan"})
GAS = ["城乡建设", "城市建设和市政管理", "燃气供应"]
BUILDING = ["城乡建设", "城乡规划", "违法建设"]
LITIGATION = ["政法", "诉讼"]
GHOST = ["城乡建设", "城市建设和市政管理", "幽灵设施"]
UNCLAIMED = ["教育文体", "教育管理"]
RULES = [
    {"category": GAS, "department": "gas-supply"},
    {"category": BUILDING, "department": "urban-management",
     "assist": ["natural-resources", "no-such-office", "urban-management"]},
    {"category": LITIGATION, "department": "hotline"},
    {"category": GHOST, "department": "no-such-office"},
]


def router(fallback: bool = False, threshold: float = 0.4) -> Router:
    data = {"default": "hotline", "territorial_fallback": fallback, "min_category_confidence": threshold,
            "rules": RULES}
    return Router.from_data(data, GOVERNMENTS, KNOWN)


def test_a_rule_dispatches_to_its_department() -> None:
    decision = router().decide(GAS, "江汉区")
    assert (decision.department, decision.applied, decision.hold) == ("gas-supply", Applied.RULE, None)
    assert decision.rule is not None and decision.rule.category == tuple(GAS)
    assert not decision.held and not decision.is_default and decision.assist == ()


def test_assists_are_only_known_departments_and_never_the_lead() -> None:
    assert router().decide(BUILDING).assist == ("natural-resources",)


@pytest.mark.parametrize("confidence", [0.0, 0.39, 0.3999])
def test_a_confidence_below_the_threshold_holds_the_ticket_for_staff(confidence: float) -> None:
    decision = router().decide(GAS, "江汉区", confidence)
    assert decision.held and decision.unsure and decision.hold is Hold.LOW_CONFIDENCE
    assert decision.department == "gas-supply"  # still the suggestion staff see
    assert (decision.confidence, decision.threshold) == (confidence, 0.4)


@pytest.mark.parametrize("confidence", [0.4, 0.99, 1.0, None])
def test_a_confidence_at_or_above_the_threshold_or_none_dispatches(confidence: float | None) -> None:
    decision = router().decide(GAS, "江汉区", confidence)
    assert not decision.held and not decision.unsure and decision.confidence == confidence


def test_a_table_without_a_threshold_never_holds_for_confidence() -> None:
    assert not router(threshold=0).decide(GAS, None, 0.0).held


def test_low_confidence_outranks_the_other_reasons_to_hold() -> None:
    assert router().decide(UNCLAIMED, None, 0.1).hold is Hold.LOW_CONFIDENCE
    assert router().decide(GHOST, None, 0.1).hold is Hold.LOW_CONFIDENCE


def test_no_rule_without_fallback_stays_in_the_hotline_queue() -> None:
    decision = router().decide(UNCLAIMED, "江汉区")
    assert (decision.department, decision.applied, decision.hold) == ("hotline", Applied.CATCH_ALL, Hold.NO_RULE)
    assert decision.rule is None and decision.is_default


def test_territorial_fallback_sends_unclaimed_tickets_to_the_district_government() -> None:
    decision = router(fallback=True).decide(UNCLAIMED, "江岸区")
    assert (decision.department, decision.applied, decision.hold) == (
        "district-jiangan", Applied.TERRITORIAL_FALLBACK, None)
    assert decision.rule is None and not decision.is_default


@pytest.mark.parametrize("district", [None, "蔡甸区"])
def test_territorial_fallback_needs_a_district_with_a_government(district: str | None) -> None:
    decision = router(fallback=True).decide(UNCLAIMED, district)
    assert (decision.department, decision.applied, decision.hold) == ("hotline", Applied.CATCH_ALL, Hold.NO_RULE)


def test_territorial_fallback_never_overrides_a_rule() -> None:
    assert router(fallback=True).decide(GAS, "江汉区").department == "gas-supply"
    assert router(fallback=True).decide(LITIGATION, "江汉区").hold is Hold.TRIAGE


def test_a_rule_naming_the_hotline_leaves_the_ticket_to_staff_on_purpose() -> None:
    decision = router().decide(LITIGATION, "江汉区")
    assert (decision.applied, decision.hold, decision.is_default) == (Applied.RULE, Hold.TRIAGE, True)


def test_a_rule_naming_an_unknown_department_holds_the_ticket() -> None:
    decision = router().decide(GHOST, "江汉区")
    assert (decision.department, decision.hold) == ("no-such-office", Hold.UNKNOWN_DEPARTMENT)
    assert decision.applied is Applied.RULE and not decision.is_default


def test_a_router_without_a_directory_trusts_every_code() -> None:
    data = {"default": "hotline", "rules": RULES}
    assert not Router.from_data(data).decide(GHOST).held


def test_the_decision_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        router().decide(GAS).department = "hotline"  # type: ignore[misc]


def test_the_packaged_router_knows_the_packaged_directory() -> None:
    """default_router() is given the directory's codes: every rule it dispatches by is known."""
    packaged = default_router()
    assert packaged.departments is not None and "hotline" in packaged.departments
    assert packaged.decide(GAS, "江汉区").department == "gas-supply"
    assert packaged.decide(BUILDING, "江汉区").assist == ("natural-resources",)
