"""The Chinese sentences the actions build from ticket data.

Fixed sentences live in domain.yml as responses; only sentences that carry ticket data are built here.
Anything that came from a resident (place, reply text) is made inert first: the web widget renders
markdown and must never turn a resident's "<script>" or "[link](…)" into markup.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict

from emergency import Finding, first_reply

_WEEKDAYS = "一二三四五六日"
_MARKUP = str.maketrans(
    {"<": "＜", ">": "＞", "*": "＊", "_": "＿", "[": "［", "]": "］", "`": "｀", "#": "＃",
     "|": "｜", "~": "～", "!": "！", "\\": "＼"}
)
_DONE_STATES = ("已办结", "已回访", "已归档")
# True to the resident's choice (ticket["contact_channel"], docs/notifications.md): nothing is promised
# for 不需要 or an older ticket without a choice.
_HEAR_BACK = {"sms": "办理进展和答复将通过短信告知您。", "email": "办理进展和答复将通过邮件告知您。"}
_ANSWER_SENT = {"sms": "答复已通过短信发送给您。", "email": "答复已通过邮件发送给您。"}


def inert(text: Any, limit: int = 200) -> str:
    """Resident-supplied text made safe to show: markup characters become full-width look-alikes."""
    value = " ".join(str(text or "").split())
    if len(value) > limit:
        value = value[:limit] + "…"
    return value.translate(_MARKUP)


def format_due(ticket: Dict[str, Any]) -> str:
    """The answer's due time as residents read it, e.g. "2026年12月4日（周五）17:30"."""
    display = ticket.get("resolve_due_display")
    if display:
        return str(display)
    raw = ticket.get("resolve_due_at")
    try:
        due = datetime.fromisoformat(str(raw))
    except ValueError:
        return "规定时限内"
    return f"{due.year}年{due.month}月{due.day}日（周{_WEEKDAYS[due.weekday()]}）{due:%H:%M}"


def department_name(ticket: Dict[str, Any]) -> str:
    """The lead department's name; the hotline itself when the service sent none."""
    department = ticket.get("department") or {}
    return str(department.get("name") or "12345热线")


def awaiting_dispatch(ticket: Dict[str, Any]) -> bool:
    """已受理 and not yet 已派单: the ticket waits in the hotline's queue (no routing rule claimed it, or
    the category was too unsure). Naming the dispatch centre as the 承办单位 would tell the resident that
    it answers the matter itself."""
    return ticket.get("state") == "已受理"


def filed_message(ticket: Dict[str, Any], truncated: bool = False) -> str:
    """Confirmation after filing: number, department, due time and how to ask for progress."""
    number = ticket.get("number", "")
    if awaiting_dispatch(ticket):
        who = "热线话务员将尽快为您确定承办单位，承办单位"
    else:
        who = f"承办单位：{department_name(ticket)}，"
    text = (
        f"已为您登记工单 {number}，{who}"
        f"将于 {format_due(ticket)} 前答复您。"
        f"您可以随时发送“我的工单 {number} 办得怎么样了”查询进度。"
    )
    text += _HEAR_BACK.get(str(ticket.get("contact_channel")), "")
    if ticket.get("priority") == "紧急":
        text += "该工单已按紧急件优先处理。"
    if truncated:
        text += "您的描述超过一万字，工单中保留了前一万字。"
    return text


def status_message(ticket: Dict[str, Any], own: bool = True) -> str:
    """Progress of one ticket in one paragraph: state, department, due time or the reply.

    The department's reply may hold personal details, so it is shown only to the conversation that
    filed the ticket (`own`); anyone else who knows the number sees the state alone.
    """
    number = ticket.get("number", "")
    state = str(ticket.get("state") or "处理中")
    if awaiting_dispatch(ticket):
        text = f"工单 {number} 当前状态：{state}，热线话务员正在为您确定承办单位。"
    else:
        text = f"工单 {number} 当前状态：{state}，承办单位：{department_name(ticket)}。"
    if state in _DONE_STATES:
        reply = ticket.get("reply") if own else None
        text += f"答复内容：{inert(reply, 300)}" if reply else "承办单位已经办结。" + _ANSWER_SENT.get(
            str(ticket.get("contact_channel")), "")
    elif state == "已合并":
        parent = inert(ticket.get("merged_into") or "", 30)
        text += f"该工单已与反映同一问题的工单 {parent} 合并办理，请查询该工单的进度。"
    elif ticket.get("due_status") == "超期":
        text += f"已超过答复时限（{format_due(ticket)}），热线正在督办，请您谅解。"
    else:
        text += f"承办单位将于 {format_due(ticket)} 前答复您。"
    return text


def emergency_message(emergency: Finding) -> str:
    """First words to a resident in danger: which number to call and why, before anything else; the
    ticket is filed as urgent afterwards (complaint_form.py sets `urgent`)."""
    return first_reply(emergency) + "我会同时为您登记紧急工单，但工单不能代替报警。"


def not_found_message(number: str) -> str:
    """A ticket number the service does not know."""
    return f"没有查到编号为 {inert(number, 30)} 的工单，请核对编号（格式如 20261125-000001）后再试。"

