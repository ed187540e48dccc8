"""The summary the resident confirms before filing, and what an answer to it means.

Why one summary that also invites the missing details: a resident who wrote what and where gets ONE
more turn ("确认"), not three questions. The summary shows what will be filed and says, once, that a
time and a name + phone may be added (or "匿名"); whatever the resident sends next is read for a yes,
corrections ("不对，是在汉口"), a time, a contact, or an invalid phone number (asked again).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.details import (
    TIME_UNKNOWN,
    contains_affirmation,
    correction_target,
    extract_event_time,
    is_affirmation,
    is_change_request,
    is_time_unknown,
    is_valid_phone,
    mask_phone,
    missing_details,
    phone_digits,
    read_contact,
)
from actions.messages import inert
from actions.notify_choice import notify_invitation, notify_line, read_notify_choice
from actions.places import place_problem
from actions.replies import ASK_WHAT_TO_CHANGE, BAD_PHONE, NOT_UNDERSTOOD_CONFIRMATION, PLACE_REJECTED
from personal_data import mask_numbers

SUMMARY_DESCRIPTION_CHARS = 80


def contact_line(slots: Dict[str, Any]) -> str:
    """How the contact reads in the summary: masked phone, 匿名, or not given."""
    phone = slots.get("contact_phone")
    if phone:
        name = inert(slots.get("contact_name") or "", 20)
        return f"{name} {mask_phone(str(phone))}".strip()
    if slots.get("anonymous"):
        return "匿名（承办单位看不到您的任何个人信息）"
    return "未留（将按匿名登记，承办单位不会电话回访；您可凭工单编号在这里查询进度）"


MARKDOWN_LINE_BREAK = "  \n"


def summary_text(slots: Dict[str, Any], invite_details: bool) -> str:
    """The summary: what, where, when, who; the invitation to add details only the first time."""
    # Phone and ID numbers inside the resident's words are shown masked, like the contact line.
    description = mask_numbers(str(slots.get("description") or ""))
    lines = ["请核对您要登记的诉求：", f"问题：{inert(description, SUMMARY_DESCRIPTION_CHARS)}"]
    if slots.get("place"):
        lines.append(f"地点：{inert(slots.get('place'), 60)}")
    lines.append(f"时间：{inert(slots.get('event_time'), 40) or '未说明'}")
    lines.append(f"联系方式：{contact_line(slots)}")
    lines.append(notify_line(slots))
    missing = missing_details(slots)
    if invite_details and missing:
        lines.append(
            f"如需补充{'和'.join(missing)}，可以直接发送，例如“昨天晚上8点，张先生 13812345678”；"
            "不想留联系方式请回复“匿名”。"
        )
    if invite_details:
        lines.append(notify_invitation(slots))
    lines.append("确认无误请回复“确认”；需要修改请直接发送正确内容，例如“不对，是在汉口”；不想登记了请回复“算了”。")
    # The widget renders markdown: a bare newline would run the lines together.
    return MARKDOWN_LINE_BREAK.join(lines)


@dataclass
class Answer:
    """What an answer to the summary does: slots to set, whether to file, what to say first."""

    updates: Dict[str, Any] = field(default_factory=dict)
    confirmed: bool = False
    say: List[str] = field(default_factory=list)
    # True when `say` already asks the next question, so the summary is not repeated right after.
    asked: bool = False


def _correction(text: str, slots: Dict[str, Any]) -> Optional[Answer]:
    """A named or "不对，是…" correction of place, time, description or contact."""
    target = correction_target(text)
    if target is None:
        return None
    slot, value = target
    if slot == "place":
        place, reason = place_problem(value)
        if reason:
            return Answer(say=[PLACE_REJECTED[reason]], asked=True)
        return Answer(updates={"place": place})
    if slot == "contact_phone":
        if not is_valid_phone(value):
            return Answer(say=[BAD_PHONE.format(phone=inert(value, 30))], asked=True)
        return Answer(updates={"contact_phone": phone_digits(value), "anonymous": False})
    if slot == "description":
        return Answer(updates={"description": value})
    return Answer(updates={slot: value})


def read_answer(text: Optional[str], slots: Dict[str, Any]) -> Answer:
    """Interpret one answer to the summary (pure, so every case is unit-tested)."""
    text = (text or "").strip()
    if is_affirmation(text):
        return Answer(confirmed=True)
    if is_change_request(text):
        return Answer(say=[ASK_WHAT_TO_CHANGE], asked=True)
    corrected = _correction(text, slots)
    if corrected is not None:
        return corrected
    notice = read_notify_choice(text, slots)  # 短信 / 邮件 + address / 不需要告知 (actions/notify_choice.py)
    if notice.say:
        return Answer(say=notice.say, asked=True)
    rest = notice.rest
    if is_time_unknown(rest) and not slots.get("event_time"):
        return Answer(updates={"event_time": TIME_UNKNOWN, **notice.updates})
    contact = read_contact(rest)
    if contact.bad_phone:
        return Answer(say=[BAD_PHONE.format(phone=inert(contact.bad_phone, 30))], asked=True)
    updates = {**contact.updates, **notice.updates}
    time = extract_event_time(rest)
    if time:
        updates["event_time"] = time
    if not updates:
        place, reason = place_problem(text)
        if not reason and len(text) <= 60:
            return Answer(updates={"place": place})
        return Answer(say=[NOT_UNDERSTOOD_CONFIRMATION], asked=True)
    return Answer(updates=updates, confirmed=contains_affirmation(text))


class ActionAskConfirmed(Action):
    """Asks for `confirmed` by showing the summary (Rasa calls action_ask_<slot> for the form)."""

    def name(self) -> Text:
        return "action_ask_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if tracker.get_slot("skip_summary"):
            # The validator has just asked its own question ("哪一项需要修改？"): don't bury it.
            return [SlotSet("skip_summary", False)]
        slots = dict(tracker.slots)
        dispatcher.utter_message(text=summary_text(slots, invite_details=not slots.get("details_invited")))
        return [SlotSet("details_invited", True)]
