"""Hand-off to a person ("转人工"): the hotline number and hours, and a note for the hotline.

The API has no "conversation needs a person" flag; the nearest thing it allows is a hotline-only
`internal_note` on the ticket this conversation filed, so staff who open it see the request.
"""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import HANDOFF, HANDOFF_FLAGGED
from actions.ticket_ops import run_transition

BOT_ACTOR = "12345智能助手"


class ActionHandoff(Action):
    """Tells the resident how to reach a person; flags the conversation's ticket when there is one."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = tracker.get_slot("ticket_number")
        flagged = ""
        if number:
            note = f"市民在在线对话（{tracker.sender_id}）中要求转人工服务。"
            ticket, _ = await run_transition(number, "internal_note", role="staff", actor=BOT_ACTOR, note=note)
            flagged = HANDOFF_FLAGGED.format(number=number) if ticket else ""
        dispatcher.utter_message(text=HANDOFF.format(flagged=flagged))
        return []
