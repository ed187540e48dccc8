"""JSON API against a real database (SQLite and, when it answers, PostgreSQL)."""
import os
import re
from datetime import datetime

from ticketing.domain.deadlines import default_policy
from ticketing.core.timefmt import display_china

NUMBER = re.compile(r"^\d{8}-\d{6}$")


def test_health_checks_the_database(client) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "database": "ok"}


def test_create_routes_to_specific_department(client) -> None:
    body = {"description": "  江汉路步行街的燃气管道有异味  ", "kind": "求助",
            "category": ["城乡建设", "城市建设和市政管理", "燃气供应"], "place": "江汉区江汉路步行街",
            "channel": "chat", "contact_name": "张先生", "contact_phone": "13800001234"}
    response = client.post("/api/tickets", json=body)
    assert response.status_code == 201
    ticket = response.json()
    assert NUMBER.match(ticket["number"])
    assert ticket["description"] == "江汉路步行街的燃气管道有异味"
    assert ticket["state"] == "已派单" and ticket["department"]["code"] == "gas-supply"
    assert ticket["department"]["name"] == "武汉市燃气集团有限公司"
    assert ticket["district"] == "江汉区" and ticket["priority"] == "普通"
    assert ticket["category"] == body["category"] and ticket["channel"] == "chat"
    assert ticket["contact_phone"] == "13800001234" and ticket["anonymous"] is False
    history = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert [(e["seq"], e["action"], e["from_state"], e["to_state"]) for e in history] == [
        (1, "create", None, "已受理"), (2, "dispatch", "已受理", "已派单")]
    assert history[1]["role"] == "system"


def test_deadlines_in_china_time_and_consistent_with_policy(client) -> None:
    ticket = client.post("/api/tickets", json={"description": "咨询公积金提取", "kind": "咨询"}).json()
    for field in ("sign_due_at", "resolve_due_at", "created_at", "updated_at"):
        assert ticket[field].endswith("+08:00"), field
    created = datetime.fromisoformat(ticket["created_at"])
    expected = default_policy().compute(created, "consultation")
    assert datetime.fromisoformat(ticket["resolve_due_at"]) == expected.resolve_due_at.replace(microsecond=0)
    assert ticket["resolve_due_display"] == display_china(expected.resolve_due_at)
    assert re.match(r"^\d{4}年\d{1,2}月\d{1,2}日（周[一二三四五六日]）\d{2}:\d{2}$", ticket["resolve_due_display"])


def test_urgent_ticket_gets_two_hours(client) -> None:
    ticket = client.post("/api/tickets", json={"description": "路口井盖丢了，有人差点掉下去", "urgent": True}).json()
    assert ticket["priority"] == "紧急"
    delta = datetime.fromisoformat(ticket["resolve_due_at"]) - datetime.fromisoformat(ticket["created_at"])
    assert 7190 <= delta.total_seconds() <= 7201


def test_catch_all_stays_in_hotline_queue(client) -> None:
    ticket = client.post("/api/tickets", json={"description": "我想反映一个情况", "category": ["未知分类"]}).json()
    assert ticket["state"] == "已受理" and ticket["department"]["code"] == "hotline"
    events = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert [e["action"] for e in events] == ["create"]


def test_category_suggested_from_keywords_when_absent(client) -> None:
    ticket = client.post("/api/tickets", json={"description": "楼下的路灯坏了一个星期了"}).json()
    assert ticket["category"] == ["城乡建设", "城市建设和市政管理", "市政设施"]
    assert ticket["state"] == "已派单"
    plain = client.post("/api/tickets", json={"description": "请问怎么办理", "category": []}).json()
    assert plain["category"] == [] and plain["department"]["code"] == "hotline"


def test_place_without_district(client) -> None:
    ticket = client.post("/api/tickets", json={"description": "红绿灯坏了", "place": "光谷大道和高新大道路口"}).json()
    assert ticket["district"] is None and ticket["place"] == "光谷大道和高新大道路口"


def test_numbers_are_distinct_and_sequential(client) -> None:
    numbers = [client.post("/api/tickets", json={"description": f"第{i}件"}).json()["number"] for i in range(5)]
    assert len(set(numbers)) == 5
    tails = [int(n.split("-")[1]) for n in numbers]
    assert tails == list(range(tails[0], tails[0] + 5))


def test_idempotent_replay_and_conflict(client) -> None:
    body = {"description": "噪音扰民", "channel": "chat"}
    first = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "conv-1:msg-9"})
    again = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "conv-1:msg-9"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = client.post("/api/tickets", json={**body, "description": "别的事"}, headers={"Idempotency-Key": "conv-1:msg-9"})
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert client.get("/api/tickets").json()["total"] == 1
    fresh = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "conv-1:msg-10"})
    assert fresh.status_code == 201 and fresh.json()["number"] != first.json()["number"]


def test_idempotency_key_too_long(client) -> None:
    response = client.post("/api/tickets", json={"description": "x"}, headers={"Idempotency-Key": "k" * 129})
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


def _assert_validation(response, field: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert re.search(r"[\u4e00-\u9fff]", error["message"])
    assert any(d["field"] == field for d in error["details"]), error["details"]


def test_validation_errors(client) -> None:
    _assert_validation(client.post("/api/tickets", json={"description": ""}), "description")
    _assert_validation(client.post("/api/tickets", json={"description": "   "}), "description")
    _assert_validation(client.post("/api/tickets", json={"description": "长" * 10001}), "description")
    _assert_validation(client.post("/api/tickets", json={"description": "x", "kind": "抱怨"}), "kind")
    _assert_validation(client.post("/api/tickets", json={"description": "x", "channel": "fax"}), "channel")
    _assert_validation(client.post("/api/tickets", json={"description": "x", "category": ["a", "b", "c", "d"]}), "category")
    _assert_validation(client.post("/api/tickets", json={}), "description")
    assert client.post("/api/tickets", json={"description": "长" * 10000}).status_code == 201


def test_malformed_json_body(client) -> None:
    response = client.post("/api/tickets", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


def test_text_is_stored_intact(client) -> None:
    text = "Street light broken 🚧🌃 on 解放大道 — «quotes» & <b>tags</b> 'single' \"double\""
    number = client.post("/api/tickets", json={"description": text, "contact_name": "John 李"}).json()["number"]
    ticket = client.get(f"/api/tickets/{number}").json()
    assert ticket["description"] == text and ticket["contact_name"] == "John 李"


def test_not_found_and_malformed_numbers(client) -> None:
    for number in ("20260101-000001", "garbage", "1' OR '1'='1", "2026" * 30, "%E4%BD%A0"):
        response = client.get(f"/api/tickets/{number}")
        assert response.status_code == 404, number
        assert response.json()["error"]["code"] == "ticket_not_found"
    assert client.get("/api/tickets/garbage/history").status_code == 404
    unknown = client.get("/api/nothing-here")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_list_newest_first_with_paging_and_filters(client, make_ticket) -> None:
    made = [make_ticket(description=f"第{i}件路灯问题") for i in range(3)]
    made.append(make_ticket(description="说不清楚的事情"))
    page = client.get("/api/tickets", params={"per_page": 3}).json()
    assert page["total"] == 4 and page["page"] == 1 and page["per_page"] == 3
    assert [t["number"] for t in page["items"]] == [t["number"] for t in reversed(made)][:3]
    second = client.get("/api/tickets", params={"per_page": 3, "page": 2}).json()
    assert [t["number"] for t in second["items"]] == [made[0]["number"]]
    received = client.get("/api/tickets", params={"state": "已受理"}).json()
    assert [t["number"] for t in received["items"]] == [made[3]["number"]]
    by_dept = client.get("/api/tickets", params={"department": "urban-management"}).json()
    assert by_dept["total"] == 3
    assert client.get("/api/tickets", params={"state": "乱写"}).status_code == 422
    assert client.get("/api/tickets", params={"per_page": 1000}).status_code == 422
    assert client.get("/api/tickets", params={"page": 0}).status_code == 422


def test_departments_and_categories(client) -> None:
    departments = client.get("/api/departments").json()["items"]
    codes = {d["code"] for d in departments}
    assert {"hotline", "urban-management", "water-supply", "district-jianghan"} <= codes
    assert all(re.search(r"[\u4e00-\u9fff]", d["name"]) for d in departments)
    categories = client.get("/api/categories").json()["items"]
    names = [c["name"] for c in categories]
    assert "城乡建设" in names and len(names) >= 10
    city = next(c for c in categories if c["name"] == "城乡建设")
    assert any(child["name"] == "城市建设和市政管理" for child in city["children"])


def test_calendar_endpoint(client) -> None:
    body = client.get("/api/calendar/2026").json()
    assert body["year"] == 2026 and body["estimated"] is False and "2026-10-10" in body["weekend_working_days"]
    assert client.get("/api/calendar/2027").json()["estimated"] is True
    assert client.get("/api/calendar/99999").status_code == 422


def test_deadline_estimated_flag_follows_the_calendar(client) -> None:
    from ticketing.domain.workcalendar import default_calendar

    ticket = client.post("/api/tickets", json={"description": "路灯坏了"}).json()
    year = datetime.fromisoformat(ticket["resolve_due_at"]).year
    assert ticket["deadline_estimated"] is default_calendar().is_estimated(year)


def test_openapi_schema_lists_the_endpoints(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/tickets", "/api/tickets/{number}", "/api/tickets/{number}/transitions", "/api/stats"} <= set(paths)
    assert client.get("/docs").status_code == 404  # would pull scripts from a CDN


def test_health_reports_an_unreachable_database() -> None:
    from fastapi.testclient import TestClient

    from ticketing.app import create_app
    from ticketing.core.settings import Settings

    app = create_app(Settings(database_url="postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"))
    with TestClient(app) as client:
        response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable" and response.json()["error"]["code"] == "database_unavailable"


def test_unexpected_errors_keep_the_error_shape(app, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from ticketing.services import tickets as service

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "list_tickets", broken)
    token = {"Authorization": f"Bearer {os.environ['YIJIAN_API_TOKEN']}"}  # reads need it (else 401 first)
    with TestClient(app, raise_server_exceptions=False, headers=token) as client:
        response = client.get("/api/tickets")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error" and "boom" not in response.text
