"""The routing suggestion shown to staff, with the reasons in plain Chinese (why this department).

Recomputed from today's rules, so a ticket routed under yesterday's table shows what the table
says now; the history still records what was actually done.
"""
from __future__ import annotations

from dataclasses import dataclass

from ticketing.models.tickets import Ticket
from ticketing.domain.rules import Rules

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
    """Apply the routing table to the ticket's category and district and explain each input."""
    decision = rules.router.route(ticket.category, ticket.district)
    code = decision.department
    confidence = classifier_confidence(ticket)
    reasons = [_category_reason(ticket, rules, confidence)]
    if rules.router.too_unsure(confidence):
        reasons.append(f"智能分类把握不足（低于自动派单门槛 {rules.router.min_category_confidence:.2f}），"
                       "系统未自动派单：请核对分类后再派单。")
    reasons.append(_place_reason(ticket))
    if decision.rule is None:
        local = rules.directory.for_district(ticket.district) if ticket.district else None
        if rules.router.territorial_fallback and local:
            code = local.code
            reasons.append(f"没有与该分类对应的派单规则，按属地兜底交{local.name}。")
        else:
            reasons.append("没有与该分类和地点对应的派单规则，需热线人工判断承办单位。")
    else:
        rule = decision.rule
        where = f"，限{rule.district}" if rule.district else ("，按属地交所在区政府" if rule.territorial else "")
        reasons.append(f"派单规则：分类“{' › '.join(rule.category)}”{where} → {rules.directory.get(code).name}。")
    assists = [rules.directory.get(a).name for a in decision.assist if a in rules.directory]
    return Suggestion(code, rules.directory.get(code).name, assists, reasons,
                      code == rules.router.default, code != ticket.department_code)


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
