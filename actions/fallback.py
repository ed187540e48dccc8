"""What to do with a message the NLU model is unsure about.

Order matters: nothing readable (empty, emoji) gets a prompt to write; English gets told we serve in
Chinese; a long Chinese text is almost always a complaint written in an unusual way, so it goes to the
complaint form rather than being bounced with "please rephrase"; anything else is asked to rephrase.
"""
from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.parsing import has_letters, is_mostly_latin
from actions.replies import EMPTY_MESSAGE, PLEASE_REPHRASE, SERVE_CHINESE

MIN_COMPLAINT_CHINESE_CHARS = 10


def looks_like_complaint(text: str) -> bool:
    """Long enough in Chinese to be worth filing rather than asking the resident to start over."""
    return len(re.findall(r"[\u4e00-\u9fa5]", text)) >= MIN_COMPLAINT_CHINESE_CHARS


class ActionHandleFallback(Action):
    """Replaces a bare "please rephrase" with an answer that fits what the resident sent."""

    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if not has_letters(text):
            dispatcher.utter_message(text=EMPTY_MESSAGE)
        elif is_mostly_latin(text):
            dispatcher.utter_message(text=SERVE_CHINESE)
        elif looks_like_complaint(text) and not tracker.active_loop_name:
            return [SlotSet("description", text.strip()), FollowupAction("complaint_form")]
        else:
            dispatcher.utter_message(text=PLEASE_REPHRASE)
        return []
