"""How to reach me: the API, the staff intake form and Open311 record 短信 / 邮件 / 不需要, and refuse an
e-mail address or phone that is not one with a Chinese message."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ticketing.domain import contact
from ticketing.models.tickets import Ticket
from tests.support.accounts import csrf_from
from tests.ticketing.notifications.helpers import EMAIL, LAMP, MOBILE


def _stored(app, number: str) -> tuple[str | None, str | None, str | None, bool]:  # type: ignore[no-untyped-def]
    with app.state.sessions() as db:
        t = db.scalar(select(Ticket).where(Ticket.number == number))
        return t.contact_channel, t.contact_email, t.contact_phone, t.anonymous


@pytest.mark.parametrize(("fields", "expected"), [
    ({"contact_channel": "短信", "contact_phone": MOBILE}, ("sms", None, MOBILE, False)),
    ({"contact_channel": "email", "contact_email": EMAIL}, ("email", EMAIL, None, False)),
    ({"contact_channel": "邮件", "contact_email": EMAIL, "anonymous": True}, ("email", EMAIL, None, True)),
    ({"contact_channel": "不需要"}, ("none", None, None, False)),
])
def test_api_records_the_choice(app, make_ticket, fields, expected) -> None:
    assert _stored(app, make_ticket(**fields)["number"]) == expected


@pytest.mark.parametrize(("fields", "message"), [
    ({"contact_channel": "邮件", "contact_email": "zhangsan@"}, "电子邮箱格式不正确"),
    ({"contact_channel": "邮件", "contact_email": "<b>x</b>@a.cn"}, "电子邮箱格式不正确"),
    ({"contact_channel": "邮件"}, "请填写电子邮箱"),
    ({"contact_channel": "短信", "contact_phone": "027-88886666"}, "请填写11位手机号码"),
    ({"contact_channel": "短信"}, "请填写11位手机号码"),
    ({"contact_phone": "12345678901234"}, "联系电话格式不正确"),
    ({"contact_phone": "0"}, "联系电话格式不正确"),
    ({"contact_channel": "微信"}, "告知方式只能是"),
])
def test_api_refuses_bad_contacts_in_chinese(client, fields, message) -> None:
    response = client.post("/api/tickets", json={"description": LAMP, **fields})
    assert response.status_code == 422 and message in response.json()["error"]["message"], response.text


def test_phone_shapes() -> None:
    assert contact.mobile_number("+86 138-1234-5678") == MOBILE
    assert contact.is_phone("027-88886666") and contact.is_phone("88886666") and contact.is_phone("12345")
    assert not contact.is_phone("1381234567") and not contact.is_phone("abc")
    assert contact.is_email("li.si+12345@mail.wuhan.gov.cn") and not contact.is_email("li si@x.cn")


def _intake(client, sign_in, **fields):  # type: ignore[no-untyped-def]
    sign_in("operator")
    page = client.get("/staff/intake").text
    assert 'name="contact_channel"' in page and "短信" in page and 'name="contact_email"' in page
    form = {"csrf": csrf_from(page), "token": re.search(r'name="token" value="([^"]+)"', page).group(1),
            "kind": "投诉", "description": LAMP, "place": "洪山区珞喻路1037号", **fields}
    return client.post("/staff/intake", data=form, follow_redirects=False)


def test_intake_form_records_the_choice(app, client, sign_in) -> None:
    response = _intake(client, sign_in, contact_channel="sms", contact_phone=MOBILE, anonymous="1")
    assert response.status_code == 303
    number = response.headers["location"].split("/")[-1].split("?")[0]
    assert _stored(app, number) == ("sms", None, MOBILE, True)
    detail = client.get(f"/staff/tickets/{number}").text
    assert "告知方式：短信" in detail and "告知市民" in detail


def test_intake_form_refuses_a_bad_email(client, sign_in) -> None:
    response = _intake(client, sign_in, contact_channel="email", contact_email="not-an-address")
    assert response.status_code == 422 and "电子邮箱格式不正确" in response.text
    assert 'value="not-an-address"' in response.text  # what was typed stays in the form


def test_open311_email_and_phone(app, client) -> None:
    base = {"service_code": "streetlight", "address_string": "江汉区解放大道688号", "description": "路灯不亮"}
    by_mail = client.post("/open311/v2/requests.json", data={**base, "email": EMAIL, "phone": MOBILE})
    assert by_mail.status_code == 200, by_mail.text
    assert _stored(app, by_mail.json()[0]["service_request_id"])[:2] == ("email", EMAIL)
    by_phone = client.post("/open311/v2/requests.json", data={**base, "phone": MOBILE})
    assert _stored(app, by_phone.json()[0]["service_request_id"])[0] == "sms"
    bad = client.post("/open311/v2/requests.json", data={**base, "email": "foo@bar"})
    assert bad.status_code == 400 and "电子邮箱格式不正确" in bad.json()[0]["description"]
