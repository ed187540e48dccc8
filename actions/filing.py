"""Filing the ticket once `complaint_form` is complete, and forgetting a cancelled complaint.

A failed filing keeps the complaint in `pending_ticket` (not in the form's slots, so a new complaint
starts clean); "重新提交" files it again with the same Idempotency-Key, so nothing is filed twice.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.complaint_form import needs_place
from actions.messages import filed_message, inert
from actions.notify_choice import payload_fields as notify_fields
from actions.parsing import infer_kind, truncate_description
from actions.places import extract_place
from actions.replies import NEXT_PROBLEM, NOTHING_TO_FILE, TICKETING_DOWN, TICKETING_REFUSED, TICKETING_UNSURE
from actions.ticketing_client import (
    TicketingClient,
    TicketingError,
    TicketingUnavailable,
    idempotency_key,
)
from personal_data import mask_id_numbers

logger = logging.getLogger(__name__)

# Slots of one complaint; the contact (name, phone, anonymity) stays for the conversation's next one.
COMPLAINT_SLOTS = ("description", "place", "event_time", "confirmed", "category_path", "category_confidence",
                   "request_kind")


def reset_complaint_events() -> List[EventType]:
    """Empty the form's slots so the next complaint is asked from scratch."""
    return [
        *(SlotSet(slot, None) for slot in COMPLAINT_SLOTS),
        SlotSet("urgent", False),
        SlotSet("details_invited", False),
        SlotSet("skip_summary", False),
    ]


def complaint_from_tracker(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The complaint to file: the form's slots, else the one a failed attempt left pending."""
    description = tracker.get_slot("description")
    kind = tracker.get_slot("request_kind")
    if description and (tracker.get_slot("place") or not needs_place(description, kind)):
        complaint = {
            "description": description,
            "place": tracker.get_slot("place"),
            "urgent": bool(tracker.get_slot("urgent")),
        }
        for slot in ("event_time", "contact_name", "contact_phone", "anonymous", "category_path",
                     "notify_channel", "contact_email"):
            if tracker.get_slot(slot):
                complaint[slot] = tracker.get_slot(slot)
        if complaint.get("category_path") and tracker.get_slot("category_confidence") is not None:
            complaint["category_confidence"] = tracker.get_slot("category_confidence")
        if kind:
            complaint["kind"] = kind
        return complaint
    pending = tracker.get_slot("pending_ticket")
    return pending if isinstance(pending, dict) and pending.get("description") else None


def ticket_payload(complaint: Dict[str, Any], conversation_id: str) -> Dict[str, Any]:
    """The POST /api/tickets body.

    No phone and no explicit choice means anonymous: the summary told the resident so before "确认".
    The category is sent only when the bot's classifier gave one; else the service's keywords decide.
    Its confidence goes with it: the service dispatches an unsure category only after staff look at it.
    """
    # ID numbers are never stored in clear (docs/ticketing-api.md, "Personal numbers"); the service masks
    # them too, for every channel.
    description, _ = truncate_description(mask_id_numbers(complaint["description"]))
    phone = complaint.get("contact_phone")
    payload = {
        "description": description,
        "kind": complaint.get("kind") or infer_kind(description),
        "channel": "chat",
        "anonymous": bool(complaint.get("anonymous")) or not phone,
        "urgent": bool(complaint.get("urgent")),
        "conversation_id": conversation_id,
    }
    optional = {"place": complaint.get("place"), "event_time": complaint.get("event_time"),
                "category": complaint.get("category_path")}
    if phone and not complaint.get("anonymous"):
        optional.update(contact_phone=phone, contact_name=complaint.get("contact_name"))
    payload.update({key: value for key, value in optional.items() if value})
    payload.update(notify_fields({**complaint, "contact_phone": payload.get("contact_phone")}))
    if "category" in payload and isinstance(complaint.get("category_confidence"), (int, float)):
        payload["category_confidence"] = complaint["category_confidence"]
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
            dispatcher.utter_message(text=TICKETING_UNSURE if error.maybe_done else TICKETING_DOWN)
            return [SlotSet("pending_ticket", complaint), *reset_complaint_events()]
        except TicketingError as error:
            logger.error("filing refused: %s", error)
            dispatcher.utter_message(text=TICKETING_REFUSED)
            return [SlotSet("pending_ticket", None), *reset_complaint_events()]
        truncated = len(complaint["description"]) > len(payload["description"])
        dispatcher.utter_message(text=filed_message(ticket, truncated))
        events = [
            SlotSet("ticket_number", ticket.get("number")),
            SlotSet("pending_ticket", None),
            *reset_complaint_events(),
        ]
        return events + next_problem_events(tracker, dispatcher, complaint.get("place"))


class ActionAffirmOutsideQuestion(Action):
    """A "确认"/"好的" that answers no question: retries a failed filing, else asks what else to do.

    Why not a rule on `pending_ticket`: rules cannot condition on a dict slot. A resident whose filing
    failed naturally says "确认" again; answering "好的。请问还有什么可以帮您？" there reads like success
    while nothing was filed (found by tests/faults).
    """

    def name(self) -> Text:
        return "action_affirm_outside_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        pending = tracker.get_slot("pending_ticket")
        if isinstance(pending, dict) and pending.get("description"):
            return await ActionFileTicket().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_anything_else")
        return []


def next_problem_events(
    tracker: Tracker, dispatcher: CollectingDispatcher, place: Optional[str]
) -> List[EventType]:
    """After one of several problems is filed, start the form again with the next one.

    The place of the previous problem is kept as a first guess: the summary shows it and "不对，是在…"
    corrects it.
    """
    queued = [p for p in (tracker.get_slot("queued_problems") or []) if isinstance(p, str) and p]
    if not queued:
        return []
    dispatcher.utter_message(text=NEXT_PROBLEM.format(problem=inert(queued[0], 120)))
    return [
        SlotSet("description", queued[0]),
        SlotSet("place", extract_place(queued[0]) or place),
        SlotSet("queued_problems", queued[1:] or None),
        FollowupAction("complaint_form"),
    ]


class ActionResetComplaint(Action):
    """Forgets a complaint the resident cancelled ("算了"), and any problems queued behind it."""

    def name(self) -> Text:
        return "action_reset_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return [*reset_complaint_events(), SlotSet("queued_problems", None)]
