"""Validation of `complaint_form`: what the problem is (description) and where it is (place).

The description comes from the reporting message itself (slot mapping in domain.yml); validating it
also pre-fills the place when the text names one and flags danger to life, so the form only asks for
what is still missing.
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.messages import emergency_message
from actions.parsing import detect_emergency, is_mostly_latin, is_too_short_to_file
from actions.places import extract_place, place_problem
from actions.replies import PLACE_REJECTED, SERVE_CHINESE


class ValidateComplaintForm(FormValidationAction):
    """Checks the resident's answers; each rejected answer is explained in Chinese and asked again."""

    def name(self) -> Text:
        return "validate_complaint_form"

    def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept a description that says what happened; pre-fill place and urgency from it."""
        text = str(value or "").strip()
        if is_mostly_latin(text):
            dispatcher.utter_message(text=SERVE_CHINESE)
            return {"description": None}
        if is_too_short_to_file(text):
            return {"description": None}
        slots: Dict[Text, Any] = {"description": text}
        place = extract_place(text)
        if place and not tracker.get_slot("place"):
            slots["place"] = place
        emergency = detect_emergency(text)
        if emergency and not tracker.get_slot("urgent"):
            dispatcher.utter_message(text=emergency_message(emergency))
            slots["urgent"] = True
        return slots

    def validate_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept a place a department can find; explain and ask again for "不知道" or "我家楼下"."""
        place, reason = place_problem(str(value or ""))
        if reason:
            dispatcher.utter_message(text=PLACE_REJECTED[reason])
        return {"place": place}
