"""Rating a department's answer (回访): 满意 / 基本满意 / 不满意 with a comment; 不满意 reopens.

The bot reopens with role "system": the workflow lets the system reopen only a ticket whose rating is
不满意 (the same guard staff face), and records the bot as the actor with the resident's comment as the
reason, so the history shows who did it and why.
"""
from __future__ import annotations

import asyncio
import re
from typing import List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import (
    ASK_RATING_NUMBER,
    ASK_RATING_VALUE,
    RATING_ALREADY,
    RATING_DONE,
    RATING_NOT_REOPENED,
    RATING_NOT_YOURS,
    RATING_REOPENED,
)
from actions.ticket_ops import meant_ticket, run_transition, without_number
from actions.ticketing_client import TicketingClient, TicketingError

_RATING_RE = re.compile(r"非常不满意|很不满意|不太满意|不满意|不认可|基本满意|还算满意|比较满意|非常满意|很满意|满意")
_RATING_OF = {"基本满意": "基本满意", "还算满意": "基本满意", "比较满意": "基本满意"}
_FRAME_RE = re.compile(r"^(?:我)?(?:对|觉得)?(?:的)?(?:答复|回复|处理结果|办理结果)?(?:是|表示|很|非常)?")
BOT_ACTOR = "12345智能助手"


def read_rating(text: str) -> Tuple[Optional[str], str]:
    """(rating, comment) from "我对工单…的答复不满意，问题根本没解决"; rating None when none is said."""
    found = _RATING_RE.search(text or "")
    if not found:
        return None, ""
    word = found.group(0)
    rating = "不满意" if "不" in word else _RATING_OF.get(word, "满意")
    rest = without_number((text or "").replace(word, " ", 1))
    comment = _FRAME_RE.sub("", re.sub(r"\s+", "", rest).strip("，,。")).strip("，,。：:的")
    return rating, comment if re.search(r"[\u4e00-\u9fa5A-Za-z0-9]{2}", comment) else ""


async def fetch_ticket(number: str) -> dict:
    """The ticket as the API shows it, or {} when the lookup fails (the workflow API then decides)."""
    try:
        return await asyncio.get_running_loop().run_in_executor(None, TicketingClient().get_ticket, number) or {}
    except TicketingError:
        return {}


def filed_by_someone_else(ticket: dict, sender_id: str) -> bool:
    """True for a ticket another chat conversation filed: only its own resident may rate it.

    Tickets from the phone or the web carry no conversation and may be rated here."""
    owner = ticket.get("conversation_id")
    return bool(owner) and owner != sender_id


def rated_already(ticket: dict) -> Optional[str]:
    """The rating the current answer already has (the same answer is rated once: 一事一评), else None.
    A reopened ticket loses its rating with the reopening, so a new answer can be rated again."""
    return ticket.get("rating") or None if ticket.get("state") in ("已回访", "已归档") else None


class ActionRateAnswer(Action):
    """Records the rating (follow_up) and, for 不满意, reopens the ticket with the comment as reason."""

    def name(self) -> Text:
        return "action_rate_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = meant_ticket(tracker)
        rating, comment = read_rating((tracker.latest_message or {}).get("text") or "")
        if not number:
            dispatcher.utter_message(text=ASK_RATING_NUMBER)
            return []
        if not rating:
            dispatcher.utter_message(text=ASK_RATING_VALUE.format(number=number))
            return [SlotSet("ticket_number", number)]
        ticket = await fetch_ticket(number)
        if filed_by_someone_else(ticket, tracker.sender_id):
            dispatcher.utter_message(text=RATING_NOT_YOURS.format(number=number))
            return []
        earlier = rated_already(ticket)
        if earlier:
            dispatcher.utter_message(text=RATING_ALREADY.format(number=number, rating=earlier))
            return [SlotSet("ticket_number", number)]
        _, problem = await run_transition(number, "follow_up", role="resident", actor="市民（在线对话）",
                                          rating=rating, note=comment or None)
        if problem:
            dispatcher.utter_message(text=problem)
            return [SlotSet("ticket_number", number)]
        if rating != "不满意":
            dispatcher.utter_message(text=RATING_DONE.format(number=number, rating=rating))
            return [SlotSet("ticket_number", number)]
        reason = f"市民不满意：{comment}" if comment else "市民对答复不满意"
        reopened, _ = await run_transition(number, "reopen", role="system", actor=BOT_ACTOR, reason=reason)
        dispatcher.utter_message(text=(RATING_REOPENED if reopened else RATING_NOT_REOPENED).format(number=number))
        return [SlotSet("ticket_number", number)]
