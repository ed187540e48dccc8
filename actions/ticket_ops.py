"""Shared steps of the actions that change an existing ticket (supplement, rating, hand-off).

Why here: each of those actions needs the same three things — which ticket the resident means, a
transition run off the event loop, and a Chinese sentence for every way the service can refuse.
"""
from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from typing import Any, Optional, Tuple

from rasa_sdk import Tracker

from actions.messages import inert, not_found_message
from actions.parsing import TICKET_NUMBER_RE, find_ticket_numbers, ticket_number_from_entities
from actions.replies import STATUS_UNAVAILABLE, TRANSITION_REFUSED, TRANSITION_UNAUTHORISED
from actions.ticketing_client import TicketingClient, TicketingError, TicketingUnavailable

logger = logging.getLogger(__name__)

_NUMBER_PHRASE_RE = re.compile(
    rf"(?:对|关于)?(?:我的|这个|那个)?(?:工单编号|工单号|工单|编号)?[是为：:\s]*{TICKET_NUMBER_RE.pattern}(?:号)?(?:工单)?(?:的)?"
)


def number_in_message(tracker: Tracker) -> Optional[str]:
    """The ticket number this message names (entity, else text), or None."""
    message = tracker.latest_message or {}
    number = ticket_number_from_entities(message.get("entities", []))
    numbers = find_ticket_numbers(message.get("text"))
    return number or (numbers[0] if numbers else None)


def meant_ticket(tracker: Tracker) -> Optional[str]:
    """The number in this message, else the ticket filed or looked up earlier in the conversation."""
    return number_in_message(tracker) or tracker.get_slot("ticket_number")


def without_number(text: str) -> str:
    """The message with ticket numbers and the words around them ("工单", "编号") taken out."""
    plain = _NUMBER_PHRASE_RE.sub(" ", unicodedata.normalize("NFKC", text or ""))
    return plain.strip(" ，,。：:；;")


async def run_transition(number: str, action: str, **fields: Any) -> Tuple[Optional[dict], Optional[str]]:
    """Run one workflow action; (ticket, None) on success, (None, Chinese explanation) on refusal."""
    client = TicketingClient()
    try:
        ticket = await asyncio.get_running_loop().run_in_executor(
            None, lambda: client.transition(number, action, **fields)
        )
        return ticket, None
    except TicketingUnavailable as error:
        logger.error("%s on %s failed: %s", action, number, error)
        return None, STATUS_UNAVAILABLE
    except TicketingError as error:
        return None, refusal_text(number, error)


def refusal_text(number: str, error: TicketingError) -> str:
    """What to tell the resident for a 401/403/404/409 from the workflow API."""
    if error.code == "ticket_not_found":
        return not_found_message(number)
    if error.code in ("not_signed_in", "role_not_allowed", "not_your_ticket") or str(error).startswith("HTTP 401"):
        return TRANSITION_UNAUTHORISED
    return TRANSITION_REFUSED.format(number=inert(number, 30), detail=inert(error.detail or "状态不允许", 120))
