"""Console and portal pages behind sign-in: queue order, filters, audit of contact views, intake,
duplicates, internal notes, reply templates, due colours, and the resident lookup."""
import re
from datetime import timedelta

from sqlalchemy import select

from ticketing.models.accounts import AuditEntry
from ticketing.models.tickets import Ticket
from ticketing.core.timefmt import china_date, utcnow
from ticketing.web import resident
from tests.support.accounts import csrf_from

ROWS = re.compile(r'data-ticket="([^"]+)"')


def _act(client, base: str, number: str, **form):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(f"{base}/{number}").text)
    return client.post(f"{base}/{number}/actions", data={"csrf": token, **form}, follow_redirects=False)


def test_queue_holds_new_and_returned_urgent_then_oldest(client, make_ticket, sign_in) -> None:
    first = make_ticket(description="说不清楚的事情一")
    second = make_ticket(description="说不清楚的事情二")
    urgent = make_ticket(description="说不清楚但很急", urgent=True)
    routed = make_ticket(description="路灯不亮")
    client.post(f"/api/tickets/{routed['number']}/transitions",
                json={"action": "return", "role": "department", "department": routed["department"]["code"],
                      "reason": "不属于本单位"})
    sign_in("operator")
    html = client.get("/staff/queue").text
    assert ROWS.findall(html) == [urgent["number"], first["number"], second["number"], routed["number"]]
    assert html.count(">退单<") == 1


def test_list_filters_by_category_district_and_dates(client, make_ticket, sign_in) -> None:
    lamp = make_ticket(description="路灯不亮", place="洪山区珞喻路1037号")
    make_ticket(description="老板拖欠工资", place="江汉区解放大道688号")
    sign_in("operator")
    today = china_date(utcnow()).isoformat()
    by_district = client.get("/staff/tickets", params={"district": "洪山区"}).text
    assert ROWS.findall(by_district) == [lamp["number"]]
    by_category = client.get("/staff/tickets", params={"category": lamp["category"][0]}).text
    assert lamp["number"] in ROWS.findall(by_category)
    assert len(ROWS.findall(client.get("/staff/tickets", params={"date_from": today, "date_to": today}).text)) == 2
    assert ROWS.findall(client.get("/staff/tickets", params={"date_to": "2020-01-01"}).text) == []


def test_full_contact_view_is_audited(client, make_ticket, sign_in, app) -> None:
    ticket = make_ticket(contact_name="张三", contact_phone="13812345678")
    username = sign_in("operator")
    assert "13812345678" in client.get(f"/staff/tickets/{ticket['number']}").text
    with app.state.sessions() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.ticket_number == ticket["number"])).all()
    assert [(r.username, r.action) for r in rows] == [(username, "view_contact")]


def test_detail_explains_routing_and_offers_duplicates(client, make_ticket, sign_in) -> None:
    first = make_ticket(description="路灯不亮", place="洪山区珞喻路1037号")
    second = make_ticket(description="路灯坏了好几天", place="洪山区珞喻路1037号")
    sign_in("dispatcher")
    html = client.get(f"/staff/tickets/{second['number']}").text
    assert "派单建议" in html and "派单规则" in html and "洪山区" in html
    assert f'data-merge-into="{first["number"]}"' in html
    assert _act(client, "/staff/tickets", second["number"], action="merge",
                parent_number=first["number"]).status_code == 303
    assert client.get(f"/api/tickets/{second['number']}").json()["state"] == "已合并"


def test_an_unsure_category_is_explained_until_staff_change_it(client, make_ticket, sign_in) -> None:
    held = make_ticket(description="小区电梯经常停运", place="武昌区中南路",
                       category=["城乡建设", "住房保障与房地产", "物业管理"], category_confidence=0.31)
    sure = make_ticket(description="路灯不亮", place="洪山区珞喻路1037号", category=["城乡建设"], category_confidence=0.93)
    sign_in("dispatcher")
    page = client.get(f"/staff/tickets/{held['number']}").text
    assert "由智能客服识别，置信度 0.31" in page and "智能分类把握不足" in page and "请核对分类后再派单" in page
    page = client.get(f"/staff/tickets/{sure['number']}").text
    assert "由智能客服识别，置信度 0.93" in page and "把握不足" not in page
    assert _act(client, "/staff/tickets", held["number"], action="reclassify",
                category="城乡建设 › 住房保障与房地产 › 物业管理").status_code == 303
    page = client.get(f"/staff/tickets/{held['number']}").text
    assert "置信度" not in page.split("流转记录")[0] and "把握不足" not in page.split("流转记录")[0]


def test_internal_note_is_hidden_from_the_department(client, make_ticket, sign_in) -> None:
    ticket = make_ticket()
    sign_in("operator")
    assert _act(client, "/staff/tickets", ticket["number"], action="internal_note",
                note="市民情绪激动，回访时注意").status_code == 303
    assert "市民情绪激动" in client.get(f"/staff/tickets/{ticket['number']}").text
    code = ticket["department"]["code"]
    sign_in("dept_officer", code)
    assert "市民情绪激动" not in client.get(f"/dept/{code}/tickets/{ticket['number']}").text


def test_department_signs_resolves_with_template_and_sees_colours(client, make_ticket, sign_in, app) -> None:
    ticket = make_ticket()
    late = make_ticket(description="路灯又不亮了")
    with app.state.sessions() as db, db.begin():
        row = db.scalar(select(Ticket).where(Ticket.number == late["number"]))
        row.resolve_due_at = row.warn_at = utcnow() - timedelta(hours=1)
    code, base = ticket["department"]["code"], f"/dept/{ticket['department']['code']}/tickets"
    sign_in("dept_officer", code)
    listing = client.get(base).text
    assert ROWS.findall(listing)[0] == late["number"] and 'class="due-over"' in listing
    assert _act(client, base, ticket["number"], action="sign").status_code == 303
    page = client.get(f"{base}/{ticket['number']}").text
    assert "答复模板" in page and "市政设施已修复" in page
    assert _act(client, base, ticket["number"], action="resolve", reply="已修复。").status_code == 303
    after = client.get(f"/api/tickets/{ticket['number']}").json()
    assert after["state"] == "已办结" and after["reply"] == "已修复。"
    events = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert events[-1]["actor"] == "测试承办单位" and events[-1]["role"] == "department"


def test_phone_intake_routes_like_the_api(client, sign_in) -> None:
    sign_in("operator")
    page = client.get("/staff/intake").text
    form = {"csrf": csrf_from(page), "token": re.search(r'name="token" value="([^"]+)"', page).group(1),
            "kind": "投诉", "description": "小区门口路灯坏了，晚上很黑", "place": "洪山区珞喻路1037号",
            "contact_name": "王先生", "contact_phone": "13900002222"}
    response = client.post("/staff/intake", data=form, follow_redirects=False)
    assert response.status_code == 303
    number = response.headers["location"].split("/")[-1].split("?")[0]
    ticket = client.get(f"/api/tickets/{number}").json()
    assert ticket["channel"] == "phone" and ticket["state"] == "已派单" and ticket["district"] == "洪山区"
    again = client.post("/staff/intake", data=form, follow_redirects=False)  # double click: same ticket
    assert again.headers["location"].split("?")[0].endswith(number)
    bad = client.post("/staff/intake", data={**form, "token": "x2", "description": ""})
    assert bad.status_code == 422 and "诉求内容" in bad.text


def test_resident_lookup(client, make_ticket) -> None:
    resident.LIMIT.clear()
    ticket = make_ticket(contact_phone="13812345678")
    anonymous = make_ticket(anonymous=True)
    token = csrf_from(client.get("/").text)
    found = client.post("/lookup", data={"csrf": token, "number": ticket["number"], "last4": "5678"})
    assert found.status_code == 200 and ticket["department"]["name"] in found.text and "13812345678" not in found.text
    wrong = client.post("/lookup", data={"csrf": token, "number": ticket["number"], "last4": "0000"})
    assert wrong.status_code == 404 and "未找到" in wrong.text
    anon = client.post("/lookup", data={"csrf": token, "number": anonymous["number"], "last4": "0000"})
    assert "匿名" in anon.text
    for _ in range(10):
        last = client.post("/lookup", data={"csrf": token, "number": ticket["number"], "last4": "1111"})
    assert last.status_code == 429
    resident.LIMIT.clear()


def test_chat_page_keeps_the_widget_and_adds_lookup(client) -> None:
    html = client.get("/").text
    assert 'id="webchat"' in html and 'action="/lookup"' in html and "12345" in html and "武汉市" in html


def test_admin_sees_accounts_and_who_viewed_a_contact(client, make_ticket, sign_in) -> None:
    ticket = make_ticket(contact_phone="13812345678")
    viewer = sign_in("operator")
    client.get(f"/staff/tickets/{ticket['number']}")
    assert client.get("/admin").status_code == 403
    sign_in("admin")
    html = client.get("/admin", params={"ticket": ticket["number"]}).text
    assert "查看完整联系方式" in html and viewer in html and "t-admin" in html


def test_internal_notes_stay_out_of_the_departments_history(client, make_ticket, sign_in) -> None:
    ticket = make_ticket()
    url = f"/api/tickets/{ticket['number']}"
    assert client.post(f"{url}/transitions", json={"action": "internal_note", "note": "内部"}).status_code == 200
    assert client.get(f"{url}/history").json()["events"][-1]["action"] == "internal_note"  # token holder
    assert client.get(f"{url}/history", headers={"Authorization": ""}).status_code == 401  # nobody
    sign_in("dept_officer", ticket["department"]["code"])
    department = client.get(f"{url}/history", headers={"Authorization": ""}).json()["events"]
    assert department and all(e["action"] != "internal_note" for e in department)
