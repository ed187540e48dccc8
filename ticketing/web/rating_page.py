"""评价答复: the phone-first page behind the one-tap link in the 办结 message (``/r/<token>``).

No account: the signed link is the proof. The page shows the answer and takes 满意 / 基本满意 /
不满意 with a comment; every refusal (altered, expired, reused, a newer answer, already rated, a
form for another ticket) is a Chinese page that changes nothing. The form carries the CSRF token of
the visitor's session, like the other public forms, and the posts are rate-limited per address.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from ticketing.core.secret import load_secret
from ticketing.core.timefmt import display_china, utcnow
from ticketing.domain.followup import FollowUpPolicy, default_followup
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import RATINGS
from ticketing.http.deps import FactoryDep, RulesDep
from ticketing.http.ratelimit import SlidingWindow, client_address
from ticketing.models.rating import RatingLink
from ticketing.models.tickets import Ticket
from ticketing.services import rating as service
from ticketing.services import rating_links as links
from ticketing.web import csrf
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
LIMIT = SlidingWindow(limit=30, seconds=600, name="rating")
Token = Annotated[str, Path(max_length=60)]

# Why a link cannot be used: (HTTP status, heading, explanation). {number}, {rating}, {state},
# {days} and {hotline} are filled in; the ticket number only when the link was genuine.
REFUSALS: dict[str, tuple[int, str, str]] = {
    links.ALTERED: (404, "无法识别这个评价链接",
                    "链接可能没有复制完整，或者已被改动。请直接点开短信或邮件里的链接；也可以拨打 {hotline} 热线评价。"),
    links.EXPIRED: (410, "评价链接已过期",
                    "评价链接的有效期为 {days} 天。您仍可以在智能客服中输入工单号 {number} 评价，或拨打 {hotline} 热线。"),
    links.USED: (409, "这个链接已经使用过",
                 "您已通过这个链接评价了工单 {number}（{rating}），感谢您的反馈！每个评价链接只能使用一次。"),
    links.ALREADY_RATED: (409, "这次答复已经评价过了",
                          "工单 {number} 的这次答复已有评价（{rating}），每次答复只能评价一次。感谢您的反馈！"
                          "如对办理结果仍有意见，请拨打 {hotline} 热线。"),
    links.SUPERSEDED: (410, "答复已有更新",
                       "工单 {number} 已有新的答复，这个链接对应的是之前的答复。请使用最新通知里的评价链接。"),
    links.NOT_RATEABLE: (409, "暂时无法评价",
                         "工单 {number} 目前的状态是“{state}”，不在待评价状态，本次没有做任何更改。"
                         "如果工单正在重新办理，办结后我们会再通知您；如有疑问请拨打 {hotline} 热线。"),
    service.OTHER_TICKET: (400, "链接与工单不符",
                           "这个评价链接不属于您提交的工单，没有做任何更改。请直接点开通知里的链接。"),
}


def _secret(request: Request) -> str:
    return load_secret(request.app.state.settings.secret_key.get_secret_value())


def _policy(request: Request) -> FollowUpPolicy:
    policy = getattr(request.app.state, "followup", None)
    return policy if isinstance(policy, FollowUpPolicy) else default_followup()


@router.get("/r/{token}", response_class=HTMLResponse)
def rating_form(request: Request, token: Token, factory: FactoryDep, rules: RulesDep) -> Response:
    """The answer and the three choices; a link that cannot be used gets its explanation instead."""
    with factory() as session:
        check = links.check_link(session, token, utcnow(), secret=_secret(request))
    if not check.ok:
        return _refused(request, check.status, check.ticket, check.link)
    return _form(request, token, check.ticket, rules)  # type: ignore[arg-type]


@router.post("/r/{token}", response_class=HTMLResponse)
def rate(request: Request, token: Token, factory: FactoryDep, rules: RulesDep,
         rating: Annotated[str, Form(max_length=10)] = "", comment: Annotated[str, Form(max_length=2000)] = "",
         number: Annotated[str, Form(max_length=30)] = "",
         csrf_token: Annotated[str, Form(alias="csrf", max_length=100)] = "") -> Response:
    """Record the rating through the workflow (不满意 → 重办), or explain why nothing changed."""
    if not csrf.valid(request, csrf_token):
        return _message(request, 403, "页面已过期", "请刷新页面后重新提交评价。")
    if LIMIT.over(client_address(request), request.app.state.settings):
        return _message(request, 429, "提交过于频繁", "请 10 分钟后再试，或拨打 {hotline} 热线。")
    outcome = service.rate_by_link(factory, token, number=number.strip(), rating=rating.strip(), comment=comment,
                                   rules=rules, now=utcnow(), secret=_secret(request))
    if outcome.status == service.INVALID:
        return _form(request, token, outcome.ticket, rules, error="请选择“满意”“基本满意”或“不满意”中的一项。",
                     comment=comment[:service.COMMENT_MAX], status=422)  # type: ignore[arg-type]
    if not outcome.changed:
        return _refused(request, outcome.status, outcome.ticket, outcome.link)
    return _page(request, {"view": "done", "reopened": outcome.status == service.REOPENED,
                           "rating": outcome.rating, "ticket": _facts(outcome.ticket, rules)})  # type: ignore[arg-type]


def _form(request: Request, token: str, ticket: Ticket, rules: Rules, *, error: str | None = None,
          comment: str = "", status: int = 200) -> Response:
    return _page(request, {"view": "form", "ticket": _facts(ticket, rules), "ratings": RATINGS, "error": error,
                           "comment": comment, "action": f"/r/{token}", "csrf": csrf.token_for(request)}, status)


def _facts(ticket: Ticket, rules: Rules) -> dict[str, Any]:
    """What the page shows of the ticket: as little as the public lookup shows."""
    return {"number": ticket.number, "kind": ticket.kind, "state": ticket.state, "reply": ticket.reply,
            "department": rules.directory.get(ticket.department_code).name,
            "created": display_china(ticket.created_at), "resolved": display_china(ticket.resolved_at)}


def _refused(request: Request, status: str, ticket: Ticket | None, link: RatingLink | None) -> Response:
    code, title, text = REFUSALS.get(status, REFUSALS[links.ALTERED])
    given = (link.used_rating if link and status == links.USED else None) or (ticket.rating if ticket else None)
    return _message(request, code, title, text, ticket, given)


def _message(request: Request, code: int, title: str, text: str, ticket: Ticket | None = None,
             given: str | None = None) -> Response:
    values = {"hotline": request.app.state.settings.hotline_number, "number": ticket.number if ticket else "",
              "rating": f"满意度：{given}" if given else "已评价",
              "state": ticket.state if ticket else "", "days": max(1, _policy(request).link_hours // 24)}
    return _page(request, {"view": "message", "title": title, "text": text.format(**values)}, code)


# The token is in the URL: no cache may keep the page, no other site may see the address, no index.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    context["hotline"] = request.app.state.settings.hotline_number
    return TEMPLATES.TemplateResponse(request, "rating.html", context, status_code=status, headers=PRIVATE_HEADERS)
