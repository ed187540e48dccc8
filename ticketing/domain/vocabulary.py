"""The one vocabulary of the hotline: kinds, channels, states and the named sets of states, roles,
ratings and the Chinese label of every history action.

Every other module imports these names instead of retyping the literals, so a rule such as "which
states are still open" has one home. Pure data: no imports from the rest of the package.
"""
from __future__ import annotations

from typing import Literal

# --- what a request is and where it came from ---------------------------------------------------
KINDS = ("投诉", "求助", "咨询", "建议", "举报")
Kind = Literal["投诉", "求助", "咨询", "建议", "举报"]
CHANNELS = ("chat", "phone", "web", "open311")
Channel = Literal["chat", "phone", "web", "open311"]
CHANNEL_LABELS = {"chat": "智能客服", "phone": "电话", "web": "网站", "open311": "Open311"}

PRIORITY_NORMAL = "普通"
PRIORITY_URGENT = "紧急"

# --- the lifecycle --------------------------------------------------------------------------------
RECEIVED = "已受理"     # filed; waits in the hotline's queue until dispatched
DISPATCHED = "已派单"   # sent to a department, not yet signed for
SIGNED = "已签收"       # the department has accepted it
RESOLVED = "已办结"     # the department (or the hotline directly) answered
FOLLOWED_UP = "已回访"  # the resident rated the answer
ARCHIVED = "已归档"     # closed for good
MERGED = "已合并"       # a duplicate, closed into its parent ticket
STATES = (RECEIVED, DISPATCHED, SIGNED, RESOLVED, FOLLOWED_UP, ARCHIVED, MERGED)

# Named sets of states. Tuples keep a stable order for SQL ``IN`` lists and forms.
OPEN_STATES = (RECEIVED, DISPATCHED, SIGNED)   # still owed an answer: counted as open, can be overdue
OPEN = frozenset(OPEN_STATES)
WITH_DEPARTMENT_STATES = (DISPATCHED, SIGNED)  # a department holds it: may be escalated (督办) or assisted
WITH_DEPARTMENT = frozenset(WITH_DEPARTMENT_STATES)
ANSWERED = frozenset({RESOLVED, FOLLOWED_UP})  # answered, not yet archived: notes may still be added
CLOSED_FOR_MERGING = frozenset({MERGED, ARCHIVED})  # never a merge target

# 超期 / 预警 of an open ticket; 按期办结 / 超期办结 once answered.
DUE_NORMAL, DUE_WARNING, DUE_OVERDUE = "正常", "预警", "超期"
DUE_STATUSES = (DUE_NORMAL, DUE_WARNING, DUE_OVERDUE)
DueStatus = Literal["正常", "预警", "超期"]
RESOLVED_ON_TIME, RESOLVED_LATE = "按期办结", "超期办结"

# --- the resident's rating ------------------------------------------------------------------------
RATINGS = ("满意", "基本满意", "不满意")
SATISFIED = frozenset({"满意", "基本满意"})
UNSATISFIED = "不满意"

# --- who acts: the state machine's roles ---------------------------------------------------------
STAFF, DEPARTMENT, RESIDENT, SUPERVISOR, SYSTEM = "staff", "department", "resident", "supervisor", "system"
WORKFLOW_ROLES = (STAFF, DEPARTMENT, RESIDENT, SUPERVISOR, SYSTEM)
WorkflowRole = Literal["staff", "department", "resident", "supervisor", "system"]
WORKFLOW_ROLE_LABELS = {STAFF: "话务员/派单员", DEPARTMENT: "承办单位", RESIDENT: "市民", SUPERVISOR: "督办",
                        SYSTEM: "系统"}

# --- who signs in: account roles, and the workflow role each one acts as --------------------------
OPERATOR, DISPATCHER, SUPERVISOR_ACCOUNT, DEPT_OFFICER, ADMIN = (
    "operator", "dispatcher", "supervisor", "dept_officer", "admin")
ACCOUNT_ROLE_LABELS = {OPERATOR: "话务员", DISPATCHER: "派单员", SUPERVISOR_ACCOUNT: "督办",
                       DEPT_OFFICER: "承办单位", ADMIN: "管理员"}
ACCOUNT_ROLES = tuple(ACCOUNT_ROLE_LABELS)
HOTLINE_ACCOUNT_ROLES = (OPERATOR, DISPATCHER, SUPERVISOR_ACCOUNT, ADMIN)  # the hotline's own side
WORKFLOW_ROLE_OF_ACCOUNT = {OPERATOR: STAFF, DISPATCHER: STAFF, ADMIN: STAFF,
                            SUPERVISOR_ACCOUNT: SUPERVISOR, DEPT_OFFICER: DEPARTMENT}

# --- the history: every action a ticket's timeline can show, in Chinese -----------------------------
CREATE = "create"  # the first event of every ticket; not a transition of the table
ACTION_LABELS = {
    CREATE: "受理",
    "dispatch": "派单",
    "redispatch": "重新派单",
    "return": "退单",
    "sign": "签收",
    "request_extension": "申请延期",
    "approve_extension": "同意延期",
    "refuse_extension": "不同意延期",
    "resolve": "办结",
    "reply_directly": "直接答复",
    "follow_up": "回访",
    "reopen": "重办",
    "archive": "归档",
    "merge": "合并",
    "escalate": "督办",
    "supplement": "补充信息",
    "reclassify": "修改分类/紧急程度",
    "add_assist": "增加协办单位",
    "assist_opinion": "协办意见",
    "internal_note": "内部备注",
}
# Hotline-only history entries: departments and residents never see them.
INTERNAL_ACTIONS = frozenset({"internal_note"})
