"""One resident's complaint in four REST turns, each sent wherever the caller says (an instance or the front)."""

from __future__ import annotations

import re
from collections.abc import Callable

import requests

from tests.support.chat import TICKET_NUMBER
from tests.support.prod_system import ProdSystem

ASKS_PLACE = re.compile(r"哪里|地点|位置")
COMPLAINT = "我们小区门口的垃圾好几天没人清运了，臭气熏天"
PLACE = "江汉区解放大道688号附近的幸福小区"


def say(base_url: str, sender: str, text: str) -> str:
    """One turn through Rasa's REST webhook at ``base_url``; the bot's replies joined by newlines."""
    response = requests.post(f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=120)
    response.raise_for_status()
    return "\n".join(message.get("text", "") for message in response.json())


def file_complaint(send: Callable[[str], str]) -> list[str]:
    """Greeting, complaint without a place, the place, the confirmation; every reply checked."""
    replies = [send("你好"), send(COMPLAINT)]
    assert ASKS_PLACE.search(replies[-1]), f"the bot did not ask where: {replies}"
    replies.append(send(PLACE))
    assert "确认" in replies[-1] and "幸福小区" in replies[-1], f"no summary naming the place: {replies}"
    replies.append(send("确认"))
    assert TICKET_NUMBER.search(replies[-1]), f"no ticket number after the confirmation: {replies}"
    return replies


def tickets_of(prod: ProdSystem, sender: str) -> list[tuple]:
    """(number, place, description) of every ticket the conversation filed."""
    return prod.tickets_sql("SELECT number, place, description FROM tickets WHERE conversation_id = %s", sender)
