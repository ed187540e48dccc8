"""Consultations answered at once from our knowledge base (bot/kb/), recorded as 直接答复.

Found: the answer is shown, and the contact is recorded as a ticket created already answered
(`direct_answer` on create: 已办结 in one transaction, never dispatched), so the hotline's figures count
it and the resident can rate it. Not found: the question becomes a 咨询 ticket
through `complaint_form` (the rule after this action reads `kb_answered`).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import Match, knowledge_base
from actions.parsing import truncate_description
from actions.replies import KB_MISS, KB_RECORDED
from actions.ticketing_client import TicketingClient, TicketingError, idempotency_key

logger = logging.getLogger(__name__)


def direct_answer_payload(question: str, reply: str, conversation_id: str) -> Dict[str, Any]:
    """POST /api/tickets body recording a consultation the bot answered itself.

    No category: the service's keyword classifier files it under the taxonomy like any other contact,
    so the statistics by category count knowledge-base answers where they belong.
    """
    description, _ = truncate_description(question)
    return {"description": description, "kind": "咨询", "channel": "chat", "anonymous": True,
            "direct_answer": reply, "conversation_id": conversation_id}


async def record_direct_answer(question: str, match: Match, reply: str, conversation_id: str) -> Optional[str]:
    """File the answered record; its number, or None when the service could not take it (logged)."""
    payload = direct_answer_payload(question, reply, conversation_id)
    client = TicketingClient()
    key = idempotency_key(conversation_id, payload["description"], "kb:" + match.entry.id)
    try:
        ticket = await asyncio.get_running_loop().run_in_executor(None, client.create_ticket, payload, key)
    except TicketingError as error:
        logger.error("direct answer not recorded: %s", error)
        return None
    return str(ticket.get("number") or "") or None


class ActionAnswerConsultation(Action):
    """Answers from the knowledge base, or hands the question to the form as a 咨询 ticket."""

    def name(self) -> Text:
        return "action_answer_consultation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        question = ((tracker.latest_message or {}).get("text") or "").strip()
        kb = knowledge_base()
        match = kb.answer(question)
        if match is None:
            dispatcher.utter_message(text=KB_MISS)
            return [SlotSet("kb_answered", False), SlotSet("description", question or None),
                    SlotSet("request_kind", "咨询")]
        reply = kb.reply_text(match)
        dispatcher.utter_message(text=reply)
        number = await record_direct_answer(question, match, reply, tracker.sender_id)
        events: List[EventType] = [SlotSet("kb_answered", True)]
        if number:
            dispatcher.utter_message(text=KB_RECORDED.format(number=number))
            events.append(SlotSet("ticket_number", number))
        return events
