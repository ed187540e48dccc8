"""Validation of `complaint_form`: what (description), where (place), then the resident's yes (confirmed).

The description comes from the reporting message itself (slot mapping in domain.yml); validating it
also pre-fills the place when the text names one and flags danger to life, so the form only asks for
what is still missing. A consultation ("请问公积金怎么提取") needs no place: nobody goes on site.
Time and contact are optional details: read from any message when present, invited once by the
summary (actions/confirmation.py), whose answer `validate_confirmed` interprets.

Entities first: the NLU pipeline's rule extractor (bot/components/rule_entity_extractor.py) puts
`place`, `event_time`, `phone` and `person_name` on the message; each validator takes those, and falls
back to the pure heuristics (actions/places.py, actions/details.py) where the message has none, e.g.
in a text longer than the extractor reads, or a bare name beside a phone number.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.confirmation import read_answer
from actions.details import correction_target, extract_event_time, is_valid_phone, read_contact
from actions.messages import emergency_message
from actions.parsing import (
    detect_emergency,
    entity_values,
    infer_kind,
    is_mostly_latin,
    is_too_short_to_file,
    place_from_entities,
)
from actions.places import extract_place, place_problem
from actions.problems import split_problems
from actions.replies import MULTIPLE_PROBLEMS, PLACE_REJECTED, SERVE_CHINESE

# An answer to "where?" longer than this usually carries more details (or a new problem): the place
# is taken from it and the whole answer is added to the description so nothing the resident wrote is lost.
LONG_PLACE_ANSWER = 40


def needs_place(description: Any, kind: Optional[str] = None) -> bool:
    """A consultation is answered from policy, not on site, so it is filed without a place."""
    if kind == "咨询":
        return False
    return not (isinstance(description, str) and description and infer_kind(description) == "咨询")


def category_from_message(message: Dict[str, Any]) -> Optional[List[str]]:
    """The category path the bot's classifier component put on the message (see its docstring).

    None while the component is not in config.yml: the service then classifies by keywords.
    """
    found = message.get("category") if isinstance(message, dict) else None
    if not isinstance(found, dict):
        return None
    path = found.get("path") or [found.get("level1")]
    path = [str(level) for level in path if level]
    return path[:3] or None


def category_confidence_from_message(message: Dict[str, Any]) -> Optional[float]:
    """The classifier's confidence in its first level (0..1), sent with the category so that the service
    leaves an unsure one to staff (routing.yml, `min_category_confidence`)."""
    found = message.get("category") if isinstance(message, dict) else None
    value = found.get("confidence") if isinstance(found, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        return None
    return float(value)


class ValidateComplaintForm(FormValidationAction):
    """Checks the resident's answers; each rejected answer is explained in Chinese and asked again."""

    def name(self) -> Text:
        return "validate_complaint_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The domain's slots, without the place for a consultation."""
        if needs_place(tracker.slots.get("description"), tracker.slots.get("request_kind")):
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
        message = tracker.latest_message or {}
        place = place_in(message, text)
        if is_too_short_to_file(text.replace(place or "", "", 1)):
            # Only a wish to complain, or only a place: keep the place, ask what happened.
            return {"description": None, "place": place or tracker.get_slot("place")}
        slots: Dict[Text, Any] = {"description": text}
        problems = split_problems(text)
        if len(problems) > 1:
            dispatcher.utter_message(text=MULTIPLE_PROBLEMS.format(count=len(problems), first=problems[0]))
            text = problems[0]
            place = place_in(message, text) or place
            slots.update(description=text, queued_problems=problems[1:])
        slots.update(details_from(text, tracker))
        category = category_from_message(tracker.latest_message or {})
        if category and (tracker.latest_message or {}).get("text", "").strip() == str(value).strip():
            slots["category_path"] = category
            slots["category_confidence"] = category_confidence_from_message(tracker.latest_message or {})
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
        corrected = correction_target(answer)
        if corrected and corrected[0] == "place":
            answer = corrected[1]  # "不对，是在汉口" answers "where?" with 汉口
        found = place_from_entities(tracker.latest_message or {}, within=answer)
        place, reason = place_problem(answer)
        if reason and not found:
            dispatcher.utter_message(text=PLACE_REJECTED[reason])
            return {"place": None}
        if len(answer) <= LONG_PLACE_ANSWER:
            # A short answer is kept whole ("钟家村地铁站旁边" says more than the entity alone).
            return {"place": place or found}
        description = tracker.get_slot("description") or ""
        return {"place": place_in(tracker.latest_message or {}, answer) or place,
                "description": f"{description}\n{answer}".strip()}

    def validate_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Yes files; corrections, time and contact update the summary, which is then shown again."""
        text = str(value or "")
        answer = read_answer(text, dict(tracker.slots))
        for line in answer.say:
            dispatcher.utter_message(text=line)
        updates = dict(answer.updates)
        # The same details as the entities give them, where both read one (entities first).
        for slot, found in entity_details(tracker.latest_message or {}, text).items():
            if slot in updates and updates[slot]:
                updates[slot] = found
        return {**updates, "confirmed": True if answer.confirmed else None, "skip_summary": answer.asked}


def place_in(message: Dict[str, Any], text: str) -> Optional[str]:
    """The place entity in `text`; the heuristics' place instead when it contains the entity and says more
    ("…县…镇" where the entity stopped at the county), or when there is no entity."""
    found = place_from_entities(message, within=text)
    guessed = extract_place(text)
    if found and guessed and found in guessed:
        return guessed
    return found or guessed


def entity_details(message: Dict[str, Any], text: str) -> Dict[Text, Any]:
    """Time, valid phone number and name from the message's entities that lie in `text`.

    A phone entity that is no valid number is left out: the heuristics report it and ask again.
    """
    slots: Dict[Text, Any] = {}
    times = entity_values(message, "event_time", within=text)
    if times:
        slots["event_time"] = times[0]
    phones = [p for p in entity_values(message, "phone") if is_valid_phone(p)]
    if phones:
        slots["contact_phone"] = phones[0]
    names = entity_values(message, "person_name")
    if names:
        slots["contact_name"] = names[0]
    return slots


def details_from(text: str, tracker: Tracker) -> Dict[Text, Any]:
    """Time and contact the first message already gives ("昨晚…，我是王女士13900001111")."""
    slots: Dict[Text, Any] = {}
    found = entity_details(tracker.latest_message or {}, text)
    time = found.get("event_time") or extract_event_time(text)
    if time and not tracker.get_slot("event_time"):
        slots["event_time"] = time
    contact = read_contact(text)
    if not contact.bad_phone and (found.get("contact_phone") or contact.updates.get("contact_phone")):
        slots.update(contact.updates)
        slots.update({k: v for k, v in found.items() if k != "event_time"}, anonymous=False)
    return slots
