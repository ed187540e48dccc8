"""Ticket lives for the scale load: a few thousand tickets simulated through the real rules, compiled
into COPY line templates that millions of generated tickets reuse.

Why templates: simulating each ticket through ``workflow.apply`` costs ~3 ms of Python, 60 times too
slow for 20,000 tickets a second. So ``simulate`` files about two thousand tickets the way the
demo seed does (``ticketing.demo.seed.build``: classification, place, deadlines, routing; then
``ticketing.demo.life.live``: dispatch, return, sign, extension, resolve, rating, reopen, archive,
escalation, merge, each one a real transition at a simulated time), and ``compile_template`` turns
each into tab-separated COPY lines where every time is an offset from the ticket's creation and the
per-ticket values (ids, number, text, place, contact) are format fields. A generated ticket takes
a template of the same age (a ticket filed three hours ago gets the life of one filed three hours
ago, so open backlog, warnings and overdue work come out as they would), shifted in time, and
gets its own number, text, place and caller.

Templates are grouped by age: hourly for the last two days, six-hourly up to 60 days, and for
older tickets (whose lives are over) by China hour of the week, so a shifted deadline still falls
on the weekday and hour the working-day calendar gave it (holidays are not re-aligned).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from ticketing.demo import seed as demo_seed
from ticketing.demo.life import Life, live
from ticketing.demo.texts import DISTRICT_WEIGHTS, OWN_EXAMPLES, PLACES, localise
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import CHANNEL_LABELS, CREATE
from ticketing.models.tickets import Ticket, TicketAssist, TicketEvent
from ticketing.store.inserts import _values

CONFIG = Path(__file__).resolve().parents[1] / "ticketing" / "config"
HOUR = 3600
DAY = 86400
YOUNG_HOURLY_DAYS = 2
YOUNG_DAYS = 60
OLD_SPAN_DAYS = 28
CHANNEL_WEIGHTS = {"phone": 52, "chat": 24, "web": 19, "open311": 5}  # a hotline still mostly answers calls
MERGE_SHARE = 0.1  # templates filed as a repeat of an open ticket (about 40 % of them are merged)

# Sentences around the keyword table's words: complaints most, then help, questions, suggestions, reports.
PATTERNS: tuple[tuple[str, int], ...] = (
    ("{place}附近{kw}的问题已经持续很久了，影响周边居民正常生活，请相关部门尽快处理。", 20),
    ("反映{place}{kw}问题，多次找过物业和社区都没有结果，希望尽快解决。", 14),
    ("{place}这边{kw}情况很严重，老人孩子都受影响，请派人来看一下。", 12),
    ("投诉：{place}{kw}，已经快一个月了，一直没人管。", 10),
    ("求助：{place}{kw}，家里实在没办法了，请帮帮忙。", 6),
    ("请问{place}{kw}的事情应该找哪个部门？需要准备什么材料？", 7),
    ("咨询一下{kw}相关的政策和办理流程，我住在{place}。", 6),
    ("建议加强对{place}{kw}的管理，方便周边居民。", 5),
    ("举报{place}存在{kw}的情况，请有关部门依法查处。", 4),
)
OPENINGS = ("", "", "", "", "您好，", "你好，", "再次反映：", "我是附近居民，", "本人反映一个情况：", "同样的问题，")
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"

# Format fields shared by every template line: per-ticket values, then the times.
FIELDS = ("row_id", "ticket_id", "number", "description", "place", "contact_name", "contact_phone",
          "idempotency_key", "request_hash", "parent_id", "parent_number", "place_key")
PER_TICKET = {"number": 2, "description": 3, "place": 4, "contact_name": 5, "contact_phone": 6,
              "idempotency_key": 7, "request_hash": 8, "parent_id": 9, "merged_into": 10, "place_key": 11}
NUMBER_TOKEN = "\x01NUMBER\x01"
PARENT_TOKEN = "\x01PARENT\x01"


@dataclass(frozen=True)
class Topic:
    """One complaint text whose category the rules recognise, and the category the rules give it."""

    text: str
    category: str


def topics(rules: Rules) -> list[Topic]:
    """Our own example complaints and sentences around every word of the keyword table."""
    table = yaml.safe_load((CONFIG / "keywords.yml").read_text(encoding="utf-8"))["rules"]
    out = [Topic(s.text, s.category) for s in OWN_EXAMPLES]
    for rule in table:
        for word in rule["keywords"]:
            out.append(Topic(word, rule["category"][0]))
    return out


def place_of(rng: random.Random, district: str | None = None) -> tuple[str, str]:
    """A street or community of a district (weighted by the districts' volumes), maybe a door number."""
    district = district or rng.choices(list(DISTRICT_WEIGHTS), weights=list(DISTRICT_WEIGHTS.values()))[0]
    street = rng.choice(PLACES[district])
    suffix = f"{rng.randint(1, 300)}号" if rng.random() < 0.5 else ""
    return district + street + suffix, district


def sentence(rng: random.Random, topic: Topic, place: str) -> str:
    """A complaint about ``topic`` at ``place``: an example as written, or a pattern around a keyword."""
    if len(topic.text) > 12:  # a whole example sentence
        return rng.choice(OPENINGS) + place + "，" + topic.text
    pattern = rng.choices([p for p, _ in PATTERNS], weights=[w for _, w in PATTERNS])[0]
    return rng.choice(OPENINGS) + pattern.format(place=place, kw=topic.text)


@dataclass
class Template:
    """One simulated life, as COPY line formats; ``times`` are offsets in seconds from creation."""

    age: int  # seconds between creation and the simulation's "now"
    created: int  # epoch seconds of the simulated creation
    district: str
    text: tuple[str, str] | None  # the description around its place, to put another street of the district in
    description: str
    place: str
    place_key: str  # the key intake gave the simulated ticket (tickets.place_key), COPY-escaped
    ticket: str
    events: list[str]
    assists: list[str]
    times: list[int]
    json_times: list[int]
    merged: bool


def simulate(rules: Rules, rng: random.Random, now: datetime, at: datetime, topic_pool: list[Topic],
             parent: Ticket | None) -> Ticket:
    """One ticket filed at ``at`` and lived through the workflow up to ``now`` (``seed.build`` + ``live``)."""
    topic = rng.choice(topic_pool)
    place, district = place_of(rng)
    text = localise(sentence(rng, topic, place), district)
    ticket = demo_seed.build(rng, rules, demo_seed.Source(text, topic.category), place, district, at,
                             NUMBER_TOKEN, "k")
    channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
    ticket.channel = channel
    first = ticket.events[0]
    assert first.action == CREATE
    first.note = f"渠道：{CHANNEL_LABELS[channel]}"  # as service.create_ticket writes it
    live(ticket, Life(rng, rules, now), parent=parent)
    return ticket


def _parent(rules: Rules, rng: random.Random, now: datetime, at: datetime, pool: list[Topic]) -> Ticket:
    """An open ticket filed a little earlier, for a repeat to be merged into."""
    parent = simulate(rules, rng, at, at - timedelta(hours=rng.uniform(1, 20)), pool, None)
    parent.number, parent.id = PARENT_TOKEN, -1
    return parent


def age_slots(now: datetime) -> list[tuple[str, int, int]]:
    """(kind, low, high) age ranges in seconds, young ones first; old ones by China hour of the week."""
    slots = [("young", h * HOUR, (h + 1) * HOUR) for h in range(YOUNG_HOURLY_DAYS * 24)]
    slots += [("young", s, s + 6 * HOUR) for s in range(YOUNG_HOURLY_DAYS * DAY, YOUNG_DAYS * DAY, 6 * HOUR)]
    return slots


def build_templates(rules: Rules, now: datetime, *, per_slot: int, seed: int,
                    ticket_columns: list[str] | None = None) -> tuple[list[list[Template]], dict[int, list[Template]]]:
    """Young templates per age slot (same order as ``age_slots``) and old ones per China hour of the week;
    ``ticket_columns``: the target table's columns when it is an older schema (default: the model's)."""
    columns = ticket_columns or TICKET_COLUMNS
    rng = random.Random(seed)
    pool = topics(rules)
    now_epoch = int(now.timestamp())
    young: list[list[Template]] = []
    for _, low, high in age_slots(now):
        bucket = [_template(rules, rng, now, now_epoch - rng.randint(low, high - 1), pool, columns)
                  for _ in range(per_slot)]
        young.append(sorted(bucket, key=lambda t: t.age))
    old: dict[int, list[Template]] = {}
    base = now_epoch - YOUNG_DAYS * DAY - OLD_SPAN_DAYS * DAY
    for slot in range(168):
        old[slot] = []
        for _ in range(max(2, per_slot)):
            week = rng.randint(0, OLD_SPAN_DAYS // 7 - 1)
            created = _slot_time(base, slot, week, rng)
            old[slot].append(_template(rules, rng, now, created, pool, columns))
    return young, old


def china_hour_of_week(epoch: int) -> int:
    """0 = Monday 00:00–01:00 China time (UTC+8); 1970-01-01 was a Thursday."""
    local = epoch + 8 * HOUR
    return ((local // DAY + 3) % 7) * 24 + (local % DAY) // HOUR


def _slot_time(base: int, slot: int, week: int, rng: random.Random) -> int:
    start = base + week * 7 * DAY
    offset = (slot - china_hour_of_week(start)) % 168
    return start - (start + 8 * HOUR) % HOUR + offset * HOUR + rng.randint(0, HOUR - 1)


def _template(rules: Rules, rng: random.Random, now: datetime, created: int, pool: list[Topic],
              columns: list[str]) -> Template:
    at = datetime.fromtimestamp(created, now.tzinfo)
    parent = _parent(rules, rng, now, at, pool) if rng.random() < MERGE_SHARE else None
    ticket = simulate(rules, rng, now, at, pool, parent)
    return compile_template(ticket, created, int(now.timestamp()), columns)


class _Compiler:
    """Turns column values into one format string; collects the time offsets in first-use order."""

    def __init__(self, created: int) -> None:
        self.created, self.times, self.json_times = created, [], []

    def time_field(self, moment: datetime, json_form: bool = False) -> str:
        offset = round(moment.timestamp()) - self.created
        bucket = self.json_times if json_form else self.times
        base = 100 if json_form else 20
        if offset not in bucket:
            bucket.append(offset)
        return "{%d}" % (base + bucket.index(offset))

    def value(self, column: str, value: Any, per_ticket: dict[str, int]) -> str:
        if column in per_ticket:
            return "{%d}" % per_ticket[column]
        if value is None:
            return "\\N"
        if isinstance(value, datetime):
            return self.time_field(value)
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, dict):
            return self.json(value)
        text = copy_escape(str(value)).replace("{", "{{").replace("}", "}}")
        return text.replace(NUMBER_TOKEN, "{2}").replace(PARENT_TOKEN, "{10}")

    def json(self, data: dict[str, Any]) -> str:
        """JSON as SQLAlchemy's JSON type writes it (``json.dumps`` defaults), ISO times as fields."""
        marked = {}
        for key, item in data.items():
            if isinstance(item, str) and len(item) >= 25 and item[4:5] == "-" and item[10:11] == "T":
                item = "@@" + self.time_field(datetime.fromisoformat(item), json_form=True) + "@@"
            marked[key] = item
        text = copy_escape(json.dumps(marked)).replace("{", "{{").replace("}", "}}")
        text = re.sub(r"@@\{\{(\d+)\}\}@@", r"{\1}", text)
        return text.replace(NUMBER_TOKEN, "{2}").replace(PARENT_TOKEN, "{10}")


def copy_escape(text: str) -> str:
    """PostgreSQL COPY text format: backslash, tab, newline and carriage return escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


TICKET_COLUMNS = [c.name for c in Ticket.__table__.columns]
EVENT_COLUMNS = [c.name for c in TicketEvent.__table__.columns]
ASSIST_COLUMNS = [c.name for c in TicketAssist.__table__.columns]


def compile_template(ticket: Ticket, created: int, now_epoch: int, columns: list[str] | None = None) -> Template:
    """The ticket's rows as format strings (see ``FIELDS``; times are fields 20+, JSON times 100+)."""
    c = _Compiler(created)
    values = _values(ticket)
    values["id"] = None
    merged = ticket.parent_id is not None or ticket.parent is not None
    per_ticket = {col: index for col, index in dict(PER_TICKET, id=0).items() if values.get(col) is not None or
                  col == "id" or (merged and col in ("parent_id", "merged_into"))}
    if ticket.channel != "chat":
        values["idempotency_key"] = None  # staff-filed and web tickets carry no client key
        per_ticket.pop("idempotency_key", None)
    head, _, tail = ticket.description.partition(ticket.place or "\x00")
    row = "\t".join(c.value(col, values.get(col), per_ticket) for col in columns or TICKET_COLUMNS)
    events = []
    for event in ticket.events:
        ev = _values(event)
        events.append("\t".join(c.value(col, ev.get(col), {"id": 0, "ticket_id": 1}) for col in EVENT_COLUMNS))
    assists = []
    for assist in ticket.assists:
        av = _values(assist)
        assists.append("\t".join(c.value(col, av.get(col), {"id": 0, "ticket_id": 1}) for col in ASSIST_COLUMNS))
    return Template(age=now_epoch - created, created=created, district=ticket.district or "",
                    text=(copy_escape(head), copy_escape(tail)) if tail or head != ticket.description else None,
                    description=copy_escape(ticket.description), place=copy_escape(ticket.place or ""),
                    place_key=copy_escape(ticket.place_key or ""), ticket=row, events=events, assists=assists,
                    times=c.times, json_times=c.json_times, merged=merged)
