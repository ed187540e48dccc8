"""Validation of `complaint_form`: what the problem is (description) and where it is (place).

The description comes from the reporting message itself (slot mapping in domain.yml); validating it
also pre-fills the place when the text names one and flags danger to life, so the form only asks for
what is still missing. A consultation ("请问公积金怎么提取") needs no place: nobody goes on site.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.messages import emergency_message
from actions.parsing import detect_emergency, infer_kind, is_mostly_latin, is_too_short_to_file
from actions.places import extract_place, place_problem
from actions.replies import PLACE_REJECTED, SERVE_CHINESE

# An answer to "where?" longer than this usually carries more details (or a new problem): the place
# is taken from it and the whole answer is added to the description so nothing the resident wrote is lost.
LONG_PLACE_ANSWER = 40


def needs_place(description: Any) -> bool:
    """A consultation is answered from policy, not on site, so it is filed without a place."""
    return not (isinstance(description, str) and description and infer_kind(description) == "咨询")


class ValidateComplaintForm(FormValidationAction):
    """Checks the resident's answers; each rejected answer is explained in Chinese and asked again."""

    def name(self) -> Text:
        return "validate_complaint_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The domain's slots, without the place for a consultation."""
        if needs_place(tracker.slots.get("description")):
            return domain_slots
        return [slot for slot in domain_slots if slot != "place"]

    def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept a description that says what happened; pre-fill place and urgency from it."""
        text = str(value or "").strip()
        if is_mostly_latin(text):
            dispatcher.utter_message(text=SERVE_CHINESE)
            return {"description": None}
        place = extract_place(text)
        if is_too_short_to_file(text.replace(place or "", "", 1)):
            # Only a wish to complain, or only a place: keep the place, ask what happened.
            return {"description": None, "place": place or tracker.get_slot("place")}
        slots: Dict[Text, Any] = {"description": text}
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
        answer = str(value or "").strip()
        place, reason = place_problem(answer)
        if reason:
            dispatcher.utter_message(text=PLACE_REJECTED[reason])
            return {"place": None}
        if len(answer) <= LONG_PLACE_ANSWER:
            return {"place": place}
        description = tracker.get_slot("description") or ""
        return {"place": extract_place(answer) or place, "description": f"{description}\n{answer}".strip()}
