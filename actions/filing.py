"""Filing the ticket once `complaint_form` is complete, and forgetting a cancelled complaint.

A failed filing keeps the complaint in `pending_ticket` (not in the form's slots, so a new complaint
starts clean); "重新提交" files it again with the same Idempotency-Key, so nothing is filed twice.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.complaint_form import needs_place
from actions.messages import filed_message
from actions.parsing import infer_kind, truncate_description
from actions.replies import NOTHING_TO_FILE, TICKETING_DOWN, TICKETING_REFUSED
from actions.ticketing_client import (
    TicketingClient,
    TicketingError,
    TicketingUnavailable,
    idempotency_key,
)

logger = logging.getLogger(__name__)

def reset_complaint_events() -> List[EventType]:
    """Empty the form's slots so the next complaint is asked from scratch."""
    return [SlotSet("description", None), SlotSet("place", None), SlotSet("urgent", False)]


def complaint_from_tracker(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The complaint to file: the form's slots, else the one a failed attempt left pending."""
    description = tracker.get_slot("description")
    if description and (tracker.get_slot("place") or not needs_place(description)):
        return {
            "description": description,
            "place": tracker.get_slot("place"),
            "urgent": bool(tracker.get_slot("urgent")),
        }
    pending = tracker.get_slot("pending_ticket")
    return pending if isinstance(pending, dict) and pending.get("description") else None


def ticket_payload(complaint: Dict[str, Any], conversation_id: str) -> Dict[str, Any]:
    """The POST /api/tickets body; the category is left to the service's keyword classifier."""
    description, _ = truncate_description(complaint["description"])
    payload = {
        "description": description,
        "kind": infer_kind(description),
        "channel": "chat",
        "anonymous": False,
        "urgent": bool(complaint.get("urgent")),
        "conversation_id": conversation_id,
    }
    if complaint.get("place"):
        payload["place"] = complaint["place"]
    return payload


class ActionFileTicket(Action):
    """Files the complaint and tells the resident the number, department and due time."""

    def name(self) -> Text:
        return "action_file_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        complaint = complaint_from_tracker(tracker)
        if complaint is None:
            dispatcher.utter_message(text=NOTHING_TO_FILE)
            return []
        payload = ticket_payload(complaint, tracker.sender_id)
        key = idempotency_key(tracker.sender_id, payload["description"], payload.get("place", ""))
        client = TicketingClient()
        try:
            ticket = await asyncio.get_running_loop().run_in_executor(
                None, client.create_ticket, payload, key
            )
        except TicketingUnavailable as error:
            logger.error("filing failed, kept pending: %s", error)
            dispatcher.utter_message(text=TICKETING_DOWN)
            return [SlotSet("pending_ticket", complaint), *reset_complaint_events()]
        except TicketingError as error:
            logger.error("filing refused: %s", error)
            dispatcher.utter_message(text=TICKETING_REFUSED)
            return [SlotSet("pending_ticket", None), *reset_complaint_events()]
        truncated = len(complaint["description"]) > len(payload["description"])
        dispatcher.utter_message(text=filed_message(ticket, truncated))
        return [
            SlotSet("ticket_number", ticket.get("number")),
            SlotSet("pending_ticket", None),
            *reset_complaint_events(),
        ]


class ActionResetComplaint(Action):
    """Forgets a complaint the resident cancelled ("算了")."""

    def name(self) -> Text:
        return "action_reset_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return reset_complaint_events()
