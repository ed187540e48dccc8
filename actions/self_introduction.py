"""A message that opens (or closes) with who is writing: is there a problem beyond the contact details?

Real letters begin "尊敬的领导您好，我叫…，电话…，身份证…，住在…" and only then say what is wrong; the
NLU model may read such a message as giving contact details (`inform_details`) because of its digits and
names. The model is taught otherwise (data/nlu/self_introductions.yml), and this reading catches what it
still misses: the message is cut into clauses, the clauses that are only a greeting, a self-introduction,
a name, a phone or ID number, an address or a time are set aside, and what is left is a problem when it
still says something. `action_read_details` (the rule for `inform_details` outside the form) then starts
the complaint form with the whole message, whose details fill the form's slots as usual.

Pure functions first (unit-tested in milliseconds), the small action last.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.details import extract_event_time, is_time_unknown, read_contact, wants_anonymity
from actions.parsing import is_too_short_to_file
from personal_data import NAME_PATTERN, TITLES, find_id_numbers

MIN_PROBLEM_CHARS = 3
MAX_ADDRESSEE_CHARS = 5  # "热线的同志", "王书记"; longer clauses ending in 领导 say more than whom they address
_CLAUSE_RE = re.compile(r"[，,。.！!？?；;：:、\s]+")
_NUMBER_RE = re.compile(r"\+?\d[\d\-*]*[\dXx*]|\d")
_HAN_RE = re.compile(r"[\u4e00-\u9fa5]")

_ROLES = (
    "业主|居民|市民|住户|租户|房东|村民|家长|学生|职工|员工|工人|农民工|农民|教师|老师|医生|护士|司机|骑手|快递员|"
    "患者|病人|退休人员|退休职工|退休教师|老人|老党员|党员|群众|商户|店主|个体户|经营户|网友|消费者|考生|毕业生|"
    "求职者|志愿者|代表|户主|车主|乘客|公民|一员|之一|家属"
)
# "尊敬的领导您好", "各位领导", "市长您好", "王书记": whom the letter addresses, with nothing else in the clause.
_GREETING_RE = re.compile(
    r"^(?P<dear>尊敬的|敬爱的|亲爱的|各位)?(?:各位)?(?P<who>[\u4e00-\u9fa5\d]{0,10}?(?:领导|同志|工作人员|市长|书记|局长|"
    r"区长|县长|镇长|主任|干部|客服|热线|12345))?(?:们)?(?P<hello>您好|你好|好|早上好|上午好|下午好|晚上好)?$"
)
_CLOSING_RE = re.compile(
    r"^(?:谢谢|多谢|感谢|非常感谢|万分感谢|谢谢您|谢谢你们|麻烦了|麻烦您了|辛苦了|打扰了|打扰一下|不好意思|在吗|"
    r"此致|敬礼|此致敬礼)(?:了|啦|啊)?$"
)
_INTRO_RE = re.compile(
    rf"^(?:我|本人)(?:叫|名叫|姓名是?|的名字是?)[\u4e00-\u9fa5]{{2,4}}$|^(?:我|本人)姓[\u4e00-\u9fa5](?:{TITLES})?$|"
    rf"^(?:我是|本人是?|本人系){NAME_PATTERN}$|"
    rf"^(?:我们?|本人)(?:是|系|作为)[\u4e00-\u9fa5A-Za-z\d（）()·]{{0,30}}?(?:{_ROLES}|的)(?:{NAME_PATTERN})?$|"
    rf"^(?:{_ROLES}|反映人|投诉人|来信人|代表人|业主代表)(?:{NAME_PATTERN})$"
)
# A form's labels standing alone once "：" has cut the clause ("姓名：张三 电话：…").
_LABEL_RE = re.compile(r"^(?:姓名|名字|称呼|联系人|反映人|投诉人|电话|手机|联系方式|地址|住址|身份证号?|证件号?|证件)$")
_CONTACT_IN_TEXT_RE = re.compile(r"\d{5}|\*{6}|电话|手机|座机|身份证|证件|姓名|联系人|反映人")
_ADDRESS_RE = re.compile(
    r"^(?:我|本人|我们)?(?:家)?(?:住在|住于|住|居住在|居住于|现住|现居住?|家住|住址是?|地址是?|家庭住址是?|户籍地?是?|"
    r"我家在|家在)[\u4e00-\u9fa5A-Za-z\d\-#（）()]{1,40}?"
    r"(?:号|栋|幢|楼|室|单元|层|户|小区|村|组|社区|街道|路|街|巷|苑|园|城|大厦|公寓|区|镇|乡|县|市|附近|旁边|对面|门)$"
)
_CONTACT_CUE_RE = re.compile(r"电话|手机|座机|号码|联系方式|联系人|身份证|证件|微信|QQ|qq|邮箱")
_CONTACT_FILLER_RE = re.compile(
    r"联系人|联系方式|联系|电话|手机号?|座机|号码|身份证号?|证件号?|公民身份|微信号?|QQ号?|qq号?|邮箱|我的|本人的?|"
    r"有事|随时|可以|请|拨打|打|给|我|是|为|号|码|的|如下"
)
_TIME_FILLER_RE = re.compile(r"时间|大概|大约|应该|是|从|在|开始|发现|左右|的|了|就")
_WHEN_UNKNOWN_RE = re.compile(
    r"^(?:我|具体)?(?:也)?(?:不记得|记不清|记不得|想不起来?|不清楚|不知道|忘了)[是了的]?(?:具体)?"
    r"(?:哪天|哪一天|时间|几点|什么时候|日期|几号)了?$"
)


def _without_numbers(clause: str) -> str:
    for found in reversed(find_id_numbers(clause)):
        clause = clause[:found.start] + clause[found.end:]
    return _NUMBER_RE.sub("", clause)


def _is_greeting(clause: str) -> bool:
    """A hello, a thank-you, or whom the letter addresses: after 尊敬的/各位, or in a few characters
    ("王书记"), so that "物业不作为找了领导" stays a problem."""
    match = _GREETING_RE.match(clause)
    if _CLOSING_RE.match(clause) or (match and match.group("hello")):
        return True
    who = match.group("who") if match else None
    return bool(who and (match.group("dear") or len(who) <= MAX_ADDRESSEE_CHARS))


def _is_contact(clause: str, beside_contact: bool) -> bool:
    """"电话13800001111", "身份证号…", "联系人张三", or a bare name in a message that gives a contact."""
    if _LABEL_RE.match(clause):
        return True
    if re.fullmatch(NAME_PATTERN, clause):
        return beside_contact or bool(re.fullmatch(rf"[\u4e00-\u9fa5]{{1,2}}(?:{TITLES})", clause))
    if not _CONTACT_CUE_RE.search(clause):
        return False
    rest = _CONTACT_FILLER_RE.sub("", clause)
    return not rest or bool(re.fullmatch(NAME_PATTERN, rest))


def _is_time(clause: str) -> bool:
    time = extract_event_time(clause)
    return bool(time) and not _TIME_FILLER_RE.sub("", clause.replace(time, "", 1))


def is_detail(clause: str, beside_contact: bool = False) -> bool:
    """One clause that only greets, introduces the writer, or gives a contact, an address or a time."""
    bare = _without_numbers(clause)
    if not _HAN_RE.search(bare):
        return True  # numbers and signs only
    return (_is_greeting(bare) or _is_contact(bare, beside_contact or bare != clause) or _is_time(clause)
            or any(pattern.match(bare) for pattern in (_INTRO_RE, _ADDRESS_RE, _WHEN_UNKNOWN_RE))
            or wants_anonymity(clause) or is_time_unknown(clause))


def problem_part(text: Optional[str]) -> str:
    """The message without its greeting, self-introduction and contact clauses."""
    beside_contact = bool(_CONTACT_IN_TEXT_RE.search(text or ""))
    return "，".join(c for c in _CLAUSE_RE.split(text or "") if c and not is_detail(c, beside_contact))


def tells_a_problem(text: Optional[str]) -> bool:
    """True when something is left to file once the writer's details are set aside."""
    rest = problem_part(text)
    return len(_HAN_RE.findall(rest)) >= MIN_PROBLEM_CHARS and not is_too_short_to_file(rest)


def introduces_the_writer(text: Optional[str]) -> bool:
    """True when a clause says who is writing or how to reach them (我叫…, 本人是…业主, 电话…)."""
    beside_contact = bool(_CONTACT_IN_TEXT_RE.search(text or ""))
    for clause in _CLAUSE_RE.split(text or ""):
        bare = _without_numbers(clause) if clause else ""
        if bare and (_INTRO_RE.match(bare) or (_CONTACT_CUE_RE.search(bare) and _is_contact(bare, beside_contact))):
            return True
    return False


GREETING_INTENTS = ("greet", "thank")


def read_details_events(text: str, intent: Optional[str] = None) -> List[EventType]:
    """A problem among the details: the whole message becomes the description (the form takes its
    details from it). Details alone: the contact is kept for the complaint to come.

    Read as a greeting or a thank-you, a message is a complaint only when it also says who is writing
    ("尊敬的领导您好，我叫…，楼上漏水…"): "非常感谢你们的帮助" or "你好，人工客服在吗" leave something after the
    greeting too, and must still be answered as what they are."""
    if intent in GREETING_INTENTS and not introduces_the_writer(text):
        return [SlotSet("problem_in_details", False)]
    if tells_a_problem(text):
        return [SlotSet("problem_in_details", True), SlotSet("description", text.strip())]
    contact = read_contact(text)
    updates: Dict[str, Any] = {} if contact.bad_phone else contact.updates
    return [SlotSet("problem_in_details", False), *(SlotSet(slot, value) for slot, value in updates.items())]


class ActionReadDetails(Action):
    """`inform_details`, `greet` and `thank` outside the form: the rules start the form when
    `problem_in_details` is set."""

    def name(self) -> Text:
        return "action_read_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        return read_details_events(message.get("text") or "", (message.get("intent") or {}).get("name"))
