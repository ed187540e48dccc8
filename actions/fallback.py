"""What to do with a message the NLU model is unsure about.

Also the core fallback (no rule fits the turn): ask to rephrase and forget the message.
For the NLU fallback order matters: nothing readable (empty, emoji) gets a prompt to write; English gets told we serve in
Chinese; a long Chinese text is almost always a complaint written in an unusual way, so it goes to the
complaint form rather than being bounced with "please rephrase"; anything else is asked to rephrase.
"""
from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.parsing import has_letters, is_mostly_latin
from actions.replies import EMPTY_MESSAGE, PLEASE_REPHRASE, SERVE_CHINESE

MIN_COMPLAINT_CHINESE_CHARS = 10
# Intents routed here by rules; any other intent means the dialogue policies found no next step.
NLU_FALLBACK_INTENTS = ("nlu_fallback", "speak_english")


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
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if (message.get("intent") or {}).get("name") not in NLU_FALLBACK_INTENTS:
            # Core fallback: forget the message (as Rasa's default fallback does) so the policies
            # do not predict this action again and again for the same turn.
            dispatcher.utter_message(text=PLEASE_REPHRASE)
            return [UserUtteranceReverted()]
        if not has_letters(text):
            dispatcher.utter_message(text=EMPTY_MESSAGE)
        elif is_mostly_latin(text):
            dispatcher.utter_message(text=SERVE_CHINESE)
        elif looks_like_complaint(text) and not tracker.active_loop_name:
            return [SlotSet("description", text.strip()), FollowupAction("complaint_form")]
        else:
            dispatcher.utter_message(text=PLEASE_REPHRASE)
        return []
