"""Talk to the running Rasa server through its REST channel, as a resident would."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import requests

TICKET_NUMBER = re.compile(r"\d{8}-\d{6}")
CJK = re.compile(r"[\u4e00-\u9fff]")
ASKS_PLACE = re.compile(r"发生在哪里|哪个位置|具体地点")
ASKS_CONFIRMATION = re.compile(r"确认无误")


@dataclass
class Resident:
    """One conversation: a fresh sender id, every bot reply kept for the assertion messages."""

    rasa_url: str
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:12]}")
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def say(self, text: str) -> str:
        """Send one message; return the bot's replies joined by newlines."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
            timeout=60,
        )
        response.raise_for_status()
        reply = "\n".join(message.get("text", "") for message in response.json())
        self.transcript.append((text, reply))
        return reply

    def follow_through(self, reply: str, place: str, turns: int = 4) -> str:
        """Answer the bot's questions (where? then the summary) until it names a ticket number.

        Returns the last reply, which the caller checks; at most ``turns`` answers are given.
        """
        for _ in range(turns):
            if TICKET_NUMBER.search(reply):
                break
            if ASKS_PLACE.search(reply):
                reply = self.say(place)
            elif ASKS_CONFIRMATION.search(reply):
                reply = self.say("确认")
            else:
                break
        return reply

    def ticket_number(self, reply: str) -> str:
        match = TICKET_NUMBER.search(reply)
        assert match, f"no ticket number in the bot's reply; conversation: {self.transcript}"
        return match.group()
