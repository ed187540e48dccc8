"""Hostile inputs, each a short Chinese complaint carrying the attack, so it also passes as a ticket.

A payload that ran in a browser sets ``window.__pwned`` (or opens a dialog, or adds an element whose id
starts with ``pwned``); the browser test checks none of that happened and the text shows literally.
"""
from __future__ import annotations

# Markup and script: tags, event handlers, javascript: URLs, SVG, attribute and string breakouts,
# template injection (Jinja {{ }}, {% %}; AngularJS-style), CSS, HTML comments and CDATA.
XSS = [
    "<script>window.__pwned=1;alert(1)</script>路灯坏了",
    "</textarea><script>window.__pwned=2</script>噪音扰民",
    "<img src=x id=pwned-img onerror=\"window.__pwned=3;alert(3)\">楼道堆物",
    "<svg onload=\"window.__pwned=4\" id=pwned-svg><circle r=9></circle></svg>违章停车",
    "<a href=\"javascript:window.__pwned=5\" id=pwned-link>点我</a>污水横流",
    "\" autofocus onfocus=\"window.__pwned=6\" x=\"属性逃逸",
    "' onmouseover='window.__pwned=7' id='pwned-attr' 单引号逃逸",
    "</title><script>window.__pwned=8</script>标题逃逸",
    "{{7*7}} {{ config }} {% raw %}模板注入{% endraw %} ${7*7} #{7*7}",
    "{{constructor.constructor('window.__pwned=9')()}}前端模板注入",
    "<iframe srcdoc=\"<script>parent.__pwned=10</script>\" id=pwned-frame></iframe>",
    "<style>body{display:none}</style><div id=pwned-style>样式注入</div>",
    "<!-- 注释 --><![CDATA[ <script>window.__pwned=11</script> ]]>",
    "</script><script>window.__pwned=12</script>脚本块逃逸",
    "<details open ontoggle=\"window.__pwned=13\" id=pwned-details>详情</details>",
    "<math><mtext></p><img src=x onerror=window.__pwned=14></mtext></math>",
]

SQL = [
    "' OR '1'='1' -- 路灯",
    "'; DROP TABLE tickets; --",
    "\"; DELETE FROM ticket_events WHERE 1=1; --",
    "1' UNION SELECT username, password_hash FROM accounts --",
    "%' AND 1=1 AND '%'='",
    "_%\\_%\\\\ 通配符",
]

TRAVERSAL = [
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "....//....//etc/passwd",
    "..\\..\\windows\\win.ini",
    "/static/../ticketing/core/settings.py",
]

# Control characters the transport can carry (NUL is refused separately, see NUL_TEXTS).
CONTROL = [
    "路灯\u0007坏了\u001b[31m红色\u001b[0m",
    "换行\r\n注入\rSet-Cookie: x=1",
    "\u202e反向文字\u202c 和 \u200b零宽",
    "😀 表情 𠀀 生僻字 \U0001f4a9",
]

NUL_TEXTS = ["路灯\u0000坏了", "\u0000"]

ALL_TEXT = XSS + SQL + TRAVERSAL + CONTROL


def complaint(payload: str) -> str:
    """The payload inside a plausible complaint (the description must not be blank once stripped)."""
    return f"投诉：{payload}（请处理）"


# Ticket number path segments that must all be a clean 404 (never a file, never a 5xx).
NUMBER_PATHS = [
    "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%5C..%5Cwindows", "20261125-000001%27%20OR%201=1",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "x" * 300, "20261125-0000010", "%E2%80%AE", "%ff%fe",
]

# Static file paths that try to leave the static folder.
STATIC_ESCAPES = [
    "/static/..%2F..%2Fapp.py", "/static/%2e%2e/%2e%2e/settings.py", "/static/../../etc/passwd",
    "/static/..%5C..%5Capp.py", "/static/%252e%252e/app.py",
]

WRONG_TYPES = [
    {"description": 12345},
    {"description": ["列表"]},
    {"description": {"$gt": ""}},
    {"description": None},
    {"description": "路灯坏了", "category": "不是列表"},
    {"description": "路灯坏了", "lat": "north"},
    {"description": "路灯坏了", "kind": "<script>"},
    {"description": "路灯坏了", "contact_phone": "<script>alert(1)</script>"},
    {"description": "路灯坏了", "media_url": "javascript:alert(1)"},
    [],
    "字符串",
    12,
]


def nested_json(depth: int) -> bytes:
    return b'{"description": "x", "category": ' + b"[" * depth + b"]" * depth + b"}"
