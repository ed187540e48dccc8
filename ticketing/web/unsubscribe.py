"""退订: the e-mail's unsubscribe link (confirm page, then one POST, also RFC 8058 one-click) and the SMS
gateway's upstream replies ("退订回T": a reply of T / TD / 退订 stops further SMS to that number).

Both record an opt-out per contact (channel + hashed address), which the outbox and the notifier honour.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ticketing.core.settings import load_settings
from ticketing.core.timefmt import utcnow
from ticketing.domain.contact import EMAIL, SMS, mobile_number
from ticketing.http.deps import FactoryDep
from ticketing.models.notifications import Notification
from ticketing.models.tickets import Ticket
from ticketing.notifications import sms as sms_gateway
from ticketing.notifications.templates import Templates
from ticketing.notifications.unsubscribe import notification_of
from ticketing.services.outbox import record_optout
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)


def _page(request: Request, title: str, message: str, *, form: bool = False, status: int = 200) -> Response:
    return TEMPLATES.TemplateResponse(request, "unsubscribe.html", {"title": title, "message": message, "form": form},
                                      status_code=status)


def _email_of(factory: FactoryDep, token: str) -> str | None:
    notification_id = notification_of(token)
    if notification_id is None:
        return None
    with factory() as db:
        note = db.get(Notification, notification_id)
        ticket = db.get(Ticket, note.ticket_id) if note is not None else None
        return ticket.contact_email if ticket is not None and note.channel == EMAIL else None


@router.get("/n/unsubscribe/{token}", response_class=HTMLResponse)
def confirm(request: Request, token: str, factory: FactoryDep) -> Response:
    if not _email_of(factory, token):
        return _page(request, "链接无效", "该退订链接无效或已被修改。如需帮助，请拨打 12345。", status=404)
    return _page(request, "退订邮件通知", "退订后，您将不再收到 12345 热线关于工单办理进展的邮件。", form=True)


@router.post("/n/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(request: Request, token: str, factory: FactoryDep) -> Response:
    address = _email_of(factory, token)
    if not address:
        return _page(request, "链接无效", "该退订链接无效或已被修改。如需帮助，请拨打 12345。", status=404)
    with factory() as db, db.begin():
        record_optout(db, EMAIL, address, "link", utcnow())
    return _page(request, "已退订", "您已退订 12345 热线的邮件通知。如需恢复，请拨打 12345。")


@router.post("/n/sms-replies")
async def sms_reply(request: Request, factory: FactoryDep) -> JSONResponse:
    """The gateway forwards a resident's reply, signed like our requests to it (``sms.verify``)."""
    settings = load_settings()
    try:
        fields = json.loads(await request.body())
    except ValueError:
        return JSONResponse({"Code": "InvalidBody"}, status_code=400)
    secret = settings.sms_secret.get_secret_value()
    if not isinstance(fields, dict) or not secret or not sms_gateway.verify(fields, secret):
        return JSONResponse({"Code": "SignatureDoesNotMatch"}, status_code=403)
    phone = mobile_number(str(fields.get("PhoneNumber", "")))
    text = str(fields.get("Content", "")).strip().upper()
    if phone and text in Templates.load(settings.config_dir).optout_keywords:
        with factory() as db, db.begin():
            record_optout(db, SMS, phone, "keyword", utcnow())
    return JSONResponse({"Code": "OK"})
