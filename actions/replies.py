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
# The request may have reached the service before it went silent (read timeout, dropped connection,
# 5xx): the ticket may be stored, so "尚未登记成功" could be false. 重新提交 replays the same key.
TICKETING_UNSURE = (
    "抱歉，工单系统没有及时答复，暂时无法确认您的诉求是否已经登记。我已保留您刚才的内容，"
    "请稍后发送“重新提交”：如果已经登记，我会告诉您工单编号，不会重复登记；也可以拨打12345热线反映。"
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
ASK_WHAT_TO_CHANGE = (
    "好的，请问哪一项需要修改？直接发送正确内容即可，例如“地点是江汉区解放大道688号”、“时间是昨天晚上”、"
    "“电话是13812345678”或“问题是……”。"
)
BAD_PHONE = (
    "“{phone}”不是有效的电话号码。请重新发送：手机号为11位（如13812345678），座机请带区号（如027-85551234）；"
    "不想留电话请回复“匿名”。"
)
NOT_UNDERSTOOD_CONFIRMATION = (
    "抱歉，没有理解您的意思。确认提交请回复“确认”；需要修改请直接发送正确内容，例如“不对，是在汉口”；"
    "不想登记了请回复“算了”。"
)
MULTIPLE_PROBLEMS = "您一次反映了{count}个问题，为了让每个问题都找到对应的承办单位，我们逐个登记，先登记第1个：{first}"
NEXT_PROBLEM = "接下来登记您反映的下一个问题：{problem}"
KB_MISS = "这个问题我暂时没有准确的答案。我为您登记一个咨询工单，由相关部门答复您。"
KB_RECORDED = "本次咨询已记录为直接答复（编号 {number}）。如对答复不满意，可以发送“我对工单 {number} 的答复不满意，……”。"
ASK_SUPPLEMENT_NUMBER = "请告诉我要补充信息的工单编号和补充内容，例如“补充一下，工单 20261125-000001，晚上十点以后噪音最大”。"
ASK_SUPPLEMENT_TEXT = "请把要补充的内容和工单编号一起发给我，例如“补充一下，工单 {number}，……”。"
SUPPLEMENT_DONE = "已将您补充的内容加入工单 {number}，承办单位会一并处理。"
ASK_RATING_NUMBER = "请告诉我要评价的工单编号，例如“工单 20261125-000001 满意”。"
ASK_RATING_VALUE = "请问您对工单 {number} 的答复是满意、基本满意还是不满意？也可以附上您的意见。"
RATING_DONE = "感谢您的评价！已记录您对工单 {number} 的评价：{rating}。"
RATING_ALREADY = ("工单 {number} 的这次答复已经评价过了（{rating}），每次答复只能评价一次，感谢您的反馈！"
                  "如果问题仍未解决，请直接描述现在的情况，我们会为您重新登记。")
RATING_REOPENED = "已记录您的评价：不满意。工单 {number} 已转回重新办理，承办单位会重新答复您。"
RATING_NOT_REOPENED = "已记录您的评价：不满意。热线工作人员会跟进工单 {number} 的重新办理。"
TRANSITION_REFUSED = "抱歉，工单 {number} 现在不能这样操作：{detail}"
TRANSITION_UNAUTHORISED = "抱歉，系统暂时无法完成这个操作，请稍后再试，或拨打12345热线办理。"
HANDOFF = (
    "正在为您转人工服务：请拨打12345政务服务便民热线（24小时人工接听），话务员会继续为您办理。"
    "{flagged}您也可以继续在这里留言，我会为您登记。"
)
HANDOFF_FLAGGED = "已在您的工单 {number} 上备注您需要人工服务，话务员会优先查看。"
RATING_NOT_YOURS = "为保护市民隐私，这里只能评价在本对话中登记的工单。如需评价工单 {number}，请在登记它的对话中评价，或拨打12345热线。"
