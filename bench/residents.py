"""Scripted residents for the load benchmarks: a full complaint conversation through the REST webhook.

Each conversation is what a resident does in the chat: (sometimes a greeting,) a complaint with or
without its place, the place when the bot asks where, a time and a contact when the bot shows the
summary, then "确认"; the bot files the ticket and names its number. The resident answers what the
bot actually asked (like `bench.conversation_check`), so a wrong or unexpected reply ends the
conversation and is counted as an error instead of being talked past.

The complaint texts are our own (never the shared real messages), varied so that the NLU sees
different words, places and lengths.
"""
from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field

import httpx

TICKET_NUMBER = re.compile(r"\d{8}-\d{6}")
FILED = re.compile(r"已为您登记工单\s*(\d{8}-\d{6})")
ASKS_PLACE = re.compile(r"发生在哪里|哪个位置|具体地点|具体到区")
ASKS_SUMMARY = re.compile(r"请核对")
CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_TURNS = 7

# Complaints that name no place: the bot asks where.
WITHOUT_PLACE = (
    "我们小区门口的垃圾好几天没人清运了，臭气熏天",
    "楼下的下水道堵了，污水漫到人行道上，走路都得绕开",
    "小区里的路灯坏了半个月，晚上老人出门很不安全",
    "隔壁工地每天晚上十一点以后还在打桩，吵得孩子睡不着觉",
    "楼下烧烤店油烟直接往我们窗户里飘，家里全是油味",
    "小区门口的人行道被共享单车堵死了，轮椅过不去",
    "我们这条街的自来水这几天一直发黄，烧开了也有味道",
    "公交站的候车亭玻璃碎了一地，一直没人来清理",
    "小区附近有人半夜在路边倾倒建筑垃圾",
    "路口的红绿灯坏了两天，早高峰车和人挤成一团",
)
# Complaints that name their place: the bot goes straight to the summary.
WITH_PLACE = (
    "光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑",
    "洪山区珞喻路129号门前的井盖松动了，车一过就哐哐响",
    "江岸区二七路88号小区的电梯经常停运，老人上下楼很困难",
    "武昌区中南路12号楼下的餐馆油烟很大，窗户都不敢开",
    "汉阳区钟家村建港小区的垃圾站满了好几天没人清运",
    "青山区和平大道1号附近的下水道堵了，污水漫到路上",
    "硚口区宝丰路公交站旁边有人占道摆摊，行人只能走机动车道",
    "江汉区解放大道688号对面的工地夜里施工，噪音扰民",
)
PLACES = ("江汉区解放大道688号附近的幸福小区", "洪山区珞喻路129号", "武昌区中南路12号",
          "江岸区二七路88号", "汉阳区钟家村建港小区", "青山区和平大道1号", "硚口区宝丰路公交站")
DETAILS = ("上个月开始的，张先生 13812345678", "从上周一开始的，李女士 13912345678",
           "前天晚上8点左右，王先生 13712345678", "这两天一直这样，刘女士 13612345678")


@dataclass
class Turn:
    """One message and what came back."""

    kind: str  # greeting | complaint | place | details | confirm
    text: str
    seconds: float = 0.0
    status: int = 0
    error: str = ""  # "" when the reply was what the conversation expected


@dataclass
class Conversation:
    """One resident's complaint from the first message to the filed ticket (or the first error)."""

    sender: str
    complaint: str
    place: str
    details: str
    greet: bool
    turns: list[Turn] = field(default_factory=list)
    confirmed: bool = False  # "确认" was sent
    ticket: str = ""  # number the bot named after "确认"
    error: str = ""  # why it ended without a ticket ("" when filed)
    last_reply: str = ""  # the bot's last answer, shown when the conversation went wrong

    @classmethod
    def scripted(cls, sender: str, rng: random.Random) -> "Conversation":
        with_place = rng.random() < 0.5
        complaint = rng.choice(WITH_PLACE if with_place else WITHOUT_PLACE)
        return cls(sender, complaint, rng.choice(PLACES), rng.choice(DETAILS), greet=rng.random() < 0.3)

    def first(self) -> Turn:
        return Turn("greeting", "你好") if self.greet else Turn("complaint", self.complaint)

    def next_turn(self, last: Turn, reply: str) -> Turn | None:
        """The resident's answer to the bot's reply; None when the conversation is over."""
        if last.kind == "confirm":
            match = FILED.search(reply)
            if match:
                self.ticket = match.group(1)
            else:
                last.error = self.error = "no ticket number after 确认"
            return None
        if last.kind == "greeting":
            return Turn("complaint", self.complaint)
        if ASKS_SUMMARY.search(reply):
            given = {t.kind for t in self.turns}
            return Turn("confirm", "确认") if "details" in given else Turn("details", self.details)
        if ASKS_PLACE.search(reply) and "place" not in {t.kind for t in self.turns}:
            return Turn("place", self.place)
        last.error = self.error = f"unexpected reply to {last.kind}"
        return None


@dataclass(frozen=True)
class Pace:
    """How a resident paces the conversation.

    think: (low, high) seconds of reading and typing between receiving a reply and sending the next
    message, drawn uniformly; None for a resident who answers at once (a closed loop: the server
    always has N messages in flight). start_spread: seconds over which the N residents start.
    """

    think: tuple[float, float] | None
    start_spread: float = 0.0

    def label(self) -> str:
        if self.think is None:
            return "no think time"
        return f"think time {self.think[0]:g}–{self.think[1]:g} s"


async def talk(client: httpx.AsyncClient, webhook: str, conversation: Conversation, pace: Pace,
               rng: random.Random, timeout: float) -> None:
    """Run one conversation through the REST webhook, timing each turn around the HTTP request."""
    turn: Turn | None = conversation.first()
    while turn is not None and len(conversation.turns) < MAX_TURNS:
        if conversation.turns and pace.think is not None:
            await asyncio.sleep(rng.uniform(*pace.think))
        conversation.turns.append(turn)
        if turn.kind == "confirm":
            conversation.confirmed = True
        started = time.perf_counter()
        try:
            response = await client.post(webhook, json={"sender": conversation.sender, "message": turn.text},
                                         timeout=timeout)
        except httpx.TimeoutException:
            turn.error = conversation.error = f"timeout after {timeout:.0f} s"
            turn.seconds = time.perf_counter() - started
            return
        except httpx.HTTPError as error:
            turn.error = conversation.error = f"{type(error).__name__}"
            turn.seconds = time.perf_counter() - started
            return
        turn.seconds = time.perf_counter() - started
        turn.status = response.status_code
        if response.status_code != 200:
            turn.error = conversation.error = f"HTTP {response.status_code}"
            return
        try:
            reply = "\n".join(m.get("text", "") for m in response.json() if isinstance(m, dict))
        except ValueError:
            reply = ""
        if not CJK.search(reply):
            turn.error = conversation.error = "empty reply"
            conversation.last_reply = response.text[:200]
            return
        conversation.last_reply = reply
        turn = conversation.next_turn(turn, reply)
    if turn is not None:
        conversation.error = f"no ticket after {MAX_TURNS} turns"


async def parse_text(client: httpx.AsyncClient, url: str, text: str, timeout: float) -> tuple[float, str]:
    """Seconds for one `/model/parse` of `text`, and an error ("" when it answered with an intent)."""
    started = time.perf_counter()
    try:
        response = await client.post(url, json={"text": text}, timeout=timeout)
    except httpx.HTTPError as error:
        return time.perf_counter() - started, type(error).__name__
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        return seconds, f"HTTP {response.status_code}"
    return seconds, "" if "intent" in response.json() else "no intent"
