"""Server-rendered pages: the resident chat page and the staff console."""
import re


def test_staff_list_escapes_and_marks_rows(client, make_ticket, sign_in) -> None:
    sign_in("operator")
    evil = make_ticket(description="<script>alert(1)</script> 垃圾没人清运", place="<img src=x onerror=alert(2)>")
    plain = make_ticket(description="路灯不亮")
    html = client.get("/staff/tickets").text
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = re.findall(r'<tr data-ticket="([^"]+)"', html)
    assert rows == [plain["number"], evil["number"]]
    for cls in ("number", "department", "state", "resolve-due", "description"):
        assert f'class="{cls}' in html
    assert plain["department"]["name"] in html


def test_staff_list_filter_and_paging(client, make_ticket, sign_in) -> None:
    sign_in("operator")
    made = [make_ticket(description=f"路灯{i}") for i in range(3)]
    other = make_ticket(description="说不清楚")
    html = client.get("/staff/tickets", params={"state": "已受理"}).text
    assert re.findall(r'data-ticket="([^"]+)"', html) == [other["number"]]
    page2 = client.get("/staff/tickets", params={"per_page": 2, "page": 2}).text
    assert re.findall(r'data-ticket="([^"]+)"', page2) == [made[1]["number"], made[0]["number"]]
    assert "第 2 / 2 页" in page2


def test_staff_detail_shows_history(client, make_ticket, sign_in) -> None:
    sign_in("operator")
    ticket = make_ticket(description="<b>粗体</b>路灯坏了")
    html = client.get(f"/staff/tickets/{ticket['number']}").text
    assert "流转记录" in html and "受理" in html and "派单" in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html
    assert client.get("/staff/tickets/20200101-000009").status_code == 404


def test_chat_page_embeds_the_widget(client) -> None:
    html = client.get("/").text
    assert "12345" in html and "一键回应" in html and "个人信息" in html
    assert '<script src="/static/vendor/webchat.js"></script>' in html
    for option in ('initPayload: "/greet"', 'socketPath: "/socket.io/"', "embedded: true",
                   "showFullScreenButton: false", 'storage: "session"', 'language: "zh"',
                   'new URL("http://localhost:5005"', 'socketUrl: socket.origin', 'inputTextFieldHint: "请描述您遇到的问题…"'):
        assert option in html, option
    assert "cdn" not in html.lower()


def test_webchat_bundle_served_locally(client, app) -> None:
    response = client.get("/static/vendor/webchat.js")
    if app.state.settings.webchat_js.is_file():
        assert response.status_code == 200 and "javascript" in response.headers["content-type"]
        assert "WebChat" in response.text[:200000]
        assert "fonts.googleapis.com" in app.state.settings.webchat_js.read_text(encoding="utf-8")
        assert "googleapis" not in response.text  # no resident's browser is sent to Google for a font
    else:
        assert response.status_code == 404
    assert client.get("/static/css/site.css").status_code == 200


def _csrf(client, number: str) -> str:  # type: ignore[no-untyped-def]
    html = client.get(f"/staff/tickets/{number}").text
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_staff_action_form_runs_the_state_machine(client, make_ticket, sign_in) -> None:
    sign_in("operator")
    ticket = make_ticket(description="说不清楚是哪个部门的事")
    assert ticket["state"] == "已受理"
    token = _csrf(client, ticket["number"])
    form = {"csrf": token, "action": "dispatch", "target_department": "civil-affairs", "actor": "冒名"}
    response = client.post(f"/staff/tickets/{ticket['number']}/actions", data=form, follow_redirects=False)
    assert response.status_code == 303 and "done=" in response.headers["location"]
    after = client.get(f"/api/tickets/{ticket['number']}").json()
    assert after["state"] == "已派单" and after["department"]["code"] == "civil-affairs"
    events = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert events[-1]["actor"] == "测试话务员" and events[-1]["role"] == "staff"  # from the session, not the form
    refused = client.post(f"/staff/tickets/{ticket['number']}/actions", data={**form, "action": "archive"})
    assert refused.status_code == 409 and "不能归档" in refused.text


def test_staff_action_needs_csrf_token(client, make_ticket, sign_in) -> None:
    sign_in("operator")
    ticket = make_ticket(description="说不清楚")
    response = client.post(f"/staff/tickets/{ticket['number']}/actions",
                           data={"action": "dispatch", "target_department": "civil-affairs", "csrf": "forged"})
    assert response.status_code == 403
    assert client.get(f"/api/tickets/{ticket['number']}").json()["state"] == "已受理"


def test_detail_offers_only_possible_actions(client, make_ticket, sign_in) -> None:
    sign_in("operator")
    ticket = make_ticket()
    html = client.get(f"/staff/tickets/{ticket['number']}").text
    offered = set(re.findall(r'name="action" value="([a-z_]+)"', html))
    assert offered == {"redispatch", "merge", "escalate", "supplement", "add_assist", "reclassify", "internal_note"}


def test_staff_list_search_and_department_filter(client, make_ticket, sign_in) -> None:
    sign_in("operator")
    lamp = make_ticket(description="路灯不亮")
    wage = make_ticket(description="老板拖欠工资")
    found = client.get("/staff/tickets", params={"q": "工资"}).text
    assert re.findall(r'data-ticket="([^"]+)"', found) == [wage["number"]]
    by_dept = client.get("/staff/tickets", params={"department": "urban-management"}).text
    assert re.findall(r'data-ticket="([^"]+)"', by_dept) == [lamp["number"]]
    api = client.get("/api/tickets", params={"q": "100%_"}).json()
    assert api["total"] == 0
