"""Closed vocabularies shared by the API, the pages and the state machine."""
from __future__ import annotations

from typing import Literal

KINDS = ("投诉", "求助", "咨询", "建议", "举报")
CHANNELS = ("chat", "phone", "web", "open311")
CHANNEL_LABELS = {"chat": "智能客服", "phone": "电话", "web": "网站", "open311": "Open311"}
STATES = ("已受理", "已派单", "已签收", "已办结", "已回访", "已归档", "已合并")
PRIORITY_NORMAL = "普通"
PRIORITY_URGENT = "紧急"

Kind = Literal["投诉", "求助", "咨询", "建议", "举报"]
Channel = Literal["chat", "phone", "web", "open311"]
