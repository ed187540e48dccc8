"""Fixed Chinese sentences that only actions send (those used by rules live in domain.yml).

They are here rather than in domain.yml because `rasa data validate` warns about every response no
story or rule mentions; keeping the validator clean keeps real warnings visible.
"""
from __future__ import annotations

from typing import Dict

PLACE_REJECTED: Dict[str, str] = {
    "empty": "没有收到具体地点。",
    "unknown": "没有地点的话，承办单位很难到现场处理。说个大概位置也可以，比如附近的路名、小区名或明显的建筑。"
    "如果不想继续登记，可以发送“算了”。",
    "too_vague": "这个位置还不够具体，承办单位可能找不到。请补充区、街道、小区名或路名。",
    "not_chinese": "请用中文告诉我地点，例如“武昌区中南路地铁站C出口”。",
    "not_a_place": "这好像不是一个地点。请告诉我问题发生的具体位置，例如区、街道、小区名或路名。",
}
NOTHING_TO_FILE = "目前没有待提交的诉求。请直接描述您遇到的问题和发生地点。"
TICKETING_DOWN = (
    "抱歉，工单系统暂时无法连接，您的诉求尚未登记成功。我已保留您刚才的内容，"
    "请稍后发送“重新提交”再试，或拨打12345热线反映。"
)
TICKETING_REFUSED = "抱歉，工单系统没有接受这次提交，您的诉求尚未登记成功。请调整描述后重新告诉我，或拨打12345热线反映。"
ASK_TICKET_NUMBER = "请告诉我您的工单编号（格式如 20261125-000001），我来帮您查询办理进度。"
STATUS_UNAVAILABLE = "抱歉，工单系统暂时无法连接，暂时查不到进度。请稍后再试，或拨打12345热线查询。"
EMPTY_MESSAGE = "您好，我没有收到文字内容。请用文字描述您要反映的问题和发生地点，例如“江汉区某某小区门口的垃圾好几天没人清运”。"
PLEASE_REPHRASE = (
    "抱歉，我没有完全理解您的意思。能换个说法吗？您可以直接描述遇到的问题和发生地点，"
    "或发送“我的工单 + 工单编号”查询进度。"
)
SERVE_CHINESE = (
    "您好，本服务目前只支持中文。请用中文描述您遇到的问题和发生地点，例如：“洪山区珞喻路的路灯坏了”。"
    "如需帮助，也可以拨打12345热线。"
)
