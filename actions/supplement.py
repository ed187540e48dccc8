"""Adding information to an open ticket ("补充一下，工单 20261125-000001，晚上十点以后最吵")."""
from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import ASK_SUPPLEMENT_NUMBER, ASK_SUPPLEMENT_TEXT, SUPPLEMENT_DONE
from actions.ticket_ops import meant_ticket, run_transition, without_number

_LEAD_RE = re.compile(
    r"^(?:我想|我要|我再|想|再)?(?:补充(?:一下|一点|说明|信息|材料|几句)?|追加(?:一下|说明)?|再说一下|还想说)[，,：:。\s]*"
    r"(?:(?:刚才|之前|上次)?(?:的|那个)?(?:问题|诉求|情况)?[，,：:\s]*)?"
)
MIN_NOTE_CHARS = 2


def supplement_note(text: str) -> str:
    """What the resident adds, without the lead-in ("补充一下，") and the ticket number."""
    rest = without_number(text)
    return _LEAD_RE.sub("", rest, count=1).strip(" ，,。：:")


class ActionSupplement(Action):
    """Adds the note to the ticket named in the message, or to the one filed in this conversation."""

    def name(self) -> Text:
        return "action_supplement"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = meant_ticket(tracker)
        if not number:
            dispatcher.utter_message(text=ASK_SUPPLEMENT_NUMBER)
            return []
        note = supplement_note((tracker.latest_message or {}).get("text") or "")
        if len(re.findall(r"[\u4e00-\u9fa5A-Za-z0-9]", note)) < MIN_NOTE_CHARS:
            dispatcher.utter_message(text=ASK_SUPPLEMENT_TEXT.format(number=number))
            return [SlotSet("ticket_number", number)]
        ticket, problem = await run_transition(number, "supplement", role="resident", actor="市民（在线对话）", note=note)
        dispatcher.utter_message(text=problem or SUPPLEMENT_DONE.format(number=number))
        return [SlotSet("ticket_number", number)] if ticket else []
