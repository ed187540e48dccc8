"""What to do with a message the NLU model is unsure about, or a turn no rule fits.

NLU fallback, in this order: nothing readable (empty, emoji) gets a prompt to write; English is told
we serve in Chinese; a longer Chinese text is almost always a complaint written in an unusual way, so
it goes to the complaint form rather than being bounced; anything else is asked to rephrase.
Core fallback (no rule fits the turn): ask to rephrase and forget the message, as Rasa's default does.
"""
from __future__ import annotations

import re
from typing import List, Optional, Text

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


def fallback_reply(text: str, in_form: bool) -> Optional[str]:
    """What to say to an unclear message; None means "treat it as a complaint"."""
    if not has_letters(text):
        return EMPTY_MESSAGE
    if is_mostly_latin(text):
        return SERVE_CHINESE
    if looks_like_complaint(text) and not in_form:
        return None
    return PLEASE_REPHRASE


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
            dispatcher.utter_message(text=PLEASE_REPHRASE)
            return [UserUtteranceReverted()]
        reply = fallback_reply(text, bool(tracker.active_loop_name))
        if reply is None:
            return [SlotSet("description", text.strip()), FollowupAction("complaint_form")]
        dispatcher.utter_message(text=reply)
        return []
