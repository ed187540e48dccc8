"""The routing suggestion shown to staff, with the reasons in plain Chinese (why this department).

Recomputed from today's rules (``Router.decide``, the same decision the service dispatches by), so a
ticket routed under yesterday's table shows what the table says now; the history still records what
was actually done. This module only puts the decision into words.
"""
from __future__ import annotations

from dataclasses import dataclass

from ticketing.domain.routing import Applied, RoutingDecision
from ticketing.domain.rules import Rules
from ticketing.models.tickets import Ticket

SOURCES = {"caller": "由受理人或市民选定", "keywords": "根据诉求内容中的关键词推荐", "none": "未能自动判断"}


@dataclass(frozen=True)
class Suggestion:
    """Suggested lead department (code and name), assisting names, and the reasons."""

    code: str
    name: str
    assists: list[str]
    reasons: list[str]
    is_default: bool
    differs: bool


def suggest(ticket: Ticket, rules: Rules) -> Suggestion:
    """The router's decision for the ticket's category and district, with each input explained."""
    decision = rules.router.decide(ticket.category, ticket.district, classifier_confidence(ticket))
    code, name = decision.department, rules.directory.get(decision.department).name
    reasons = [_category_reason(ticket, rules, decision.confidence)]
    if decision.unsure:
        reasons.append(f"智能分类把握不足（低于自动派单门槛 {decision.threshold:.2f}），"
                       "系统未自动派单：请核对分类后再派单。")
    reasons += [_place_reason(ticket), _rule_reason(decision, name)]
    assists = [rules.directory.get(a).name for a in decision.assist]
    return Suggestion(code, name, assists, reasons, decision.is_default, code != ticket.department_code)


def _rule_reason(decision: RoutingDecision, name: str) -> str:
    """Which part of the routing table chose ``name``."""
    rule = decision.rule
    if decision.applied is Applied.TERRITORIAL_FALLBACK:
        return f"没有与该分类对应的派单规则，按属地兜底交{name}。"
    if rule is None:
        return "没有与该分类和地点对应的派单规则，需热线人工判断承办单位。"
    where = f"，限{rule.district}" if rule.district else ("，按属地交所在区政府" if rule.territorial else "")
    return f"派单规则：分类“{' › '.join(rule.category)}”{where} → {name}。"


def classifier_confidence(ticket: Ticket) -> float | None:
    """The confidence the caller's classifier filed the category with, while staff have not changed it.

    Kept in the creation's history event: a reclassification makes the category staff's own
    (`category_source` "staff"), and the classifier's confidence no longer describes it.
    """
    if ticket.category_source != "caller":
        return None
    created = next((e for e in ticket.events if e.action == "create"), None)
    value = (created.data or {}).get("category_confidence") if created is not None else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _category_reason(ticket: Ticket, rules: Rules, confidence: float | None) -> str:
    if not ticket.category:
        return "分类：未分类（请先修改分类，系统即可推荐承办单位）。"
    source = (f"由智能客服识别，置信度 {confidence:.2f}" if confidence is not None
              else SOURCES.get(ticket.category_source, ticket.category_source))
    text = f"分类：{' › '.join(ticket.category)}（{source}"
    if ticket.category_source == "keywords":
        hint = rules.classifier.suggest(ticket.description)
        if hint and hint.matched:
            text += "：" + "、".join(f"“{w}”" for w in hint.matched[:5])
    return text + "）。"


def _place_reason(ticket: Ticket) -> str:
    if ticket.district:
        return f"地点：{ticket.place or ''}，识别为{ticket.district}。"
    if ticket.place:
        return f"地点：{ticket.place}，未能识别所在区（请向市民核实或在备注中说明）。"
    return "地点：市民未提供。"
