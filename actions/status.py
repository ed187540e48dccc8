"""Answering "我的工单 20261125-000001 办得怎么样了" from the ticketing service."""
from __future__ import annotations

import asyncio
import logging
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.messages import not_found_message, status_message
from actions.parsing import find_ticket_numbers, ticket_number_from_entities
from actions.replies import ASK_TICKET_NUMBER, STATUS_UNAVAILABLE
from actions.ticketing_client import TicketingClient, TicketingError

logger = logging.getLogger(__name__)


def requested_number(tracker: Tracker) -> Optional[str]:
    """The number in this message (entity, else text), else the last one this conversation used."""
    message = tracker.latest_message or {}
    number = ticket_number_from_entities(message.get("entities", []))
    if not number:
        numbers = find_ticket_numbers(message.get("text"))
        number = numbers[0] if numbers else None
    return number or tracker.get_slot("ticket_number")


class ActionCheckStatus(Action):
    """Looks one ticket up; asks for the number when the resident gave none."""

    def name(self) -> Text:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = requested_number(tracker)
        if not number:
            dispatcher.utter_message(text=ASK_TICKET_NUMBER)
            return []
        try:
            ticket = await asyncio.get_running_loop().run_in_executor(
                None, TicketingClient().get_ticket, number
            )
        except TicketingError as error:
            logger.error("status lookup failed: %s", error)
            dispatcher.utter_message(text=STATUS_UNAVAILABLE)
            return []
        if ticket is None:
            dispatcher.utter_message(text=not_found_message(number))
            return [SlotSet("ticket_number", None)]
        own = ticket.get("conversation_id") == tracker.sender_id
        dispatcher.utter_message(text=status_message(ticket, own))
        return [SlotSet("ticket_number", number)]
