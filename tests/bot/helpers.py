"""Helpers for the bot's unit tests: rasa-sdk trackers, running an action, a fake ticketing service.

Why fakes here: these tests pin the actions' own logic in milliseconds; the real HTTP path (Rasa,
action server, ticketing service) is covered by the suite-wide integration tests.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

TICKET: Dict[str, Any] = {
    "number": "20261125-000001",
    "state": "已派单",
    "kind": "投诉",
    "category": ["城乡建设", "城市建设和市政管理", "市政设施"],
    "description": "光谷大道和高新大道路口的路灯坏了",
    "place": "光谷大道和高新大道路口",
    "district": None,
    "priority": "普通",
    "department": {"code": "urban-management", "name": "武汉市城市管理执法委员会"},
    "resolve_due_at": "2026-12-04T17:30:00+08:00",
    "resolve_due_display": "2026年12月4日（周五）17:30",
}


def make_tracker(
    text: str = "",
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    intent: str = "report_problem",
    active_loop: Optional[str] = None,
    sender_id: str = "resident-1",
) -> Tracker:
    """A tracker as the action server receives it, reduced to what our actions read."""
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run_action(action: Any, tracker: Tracker, domain: Optional[Dict[str, Any]] = None):
    """Run one action; return (events, texts the bot sent)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or {}))
    return events, [m.get("text") or m.get("response") for m in dispatcher.messages]


class FakeTicketing:
    """Stands in for TicketingClient: records calls, answers with TICKET or raises a set error."""

    def __init__(self) -> None:
        self.created: List[Dict[str, Any]] = []
        self.keys: List[str] = []
        self.error: Optional[Exception] = None
        self.tickets: Dict[str, Dict[str, Any]] = {TICKET["number"]: TICKET}
        self.transitions: List[Dict[str, Any]] = []
        self.transition_error: Optional[Exception] = None
        self.created_state = "已派单"

    def __call__(self, *args: Any, **kwargs: Any) -> "FakeTicketing":
        return self

    def create_ticket(self, payload: Dict[str, Any], key: str) -> Dict[str, Any]:
        self.created.append(payload)
        self.keys.append(key)
        if self.error:
            raise self.error
        return {**TICKET, "description": payload["description"], "place": payload.get("place"),
                "priority": "紧急" if payload.get("urgent") else "普通", "state": self.created_state}

    def transition(self, number: str, action: str, **fields: Any) -> Dict[str, Any]:
        self.transitions.append({"number": number, "action": action, **fields})
        if self.transition_error:
            raise self.transition_error
        return {**TICKET, "number": number}

    def get_ticket(self, number: str) -> Optional[Dict[str, Any]]:
        if self.error:
            raise self.error
        return self.tickets.get(number)
