"""Workflow over HTTP: every action through ``POST /api/tickets/{number}/transitions``."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, text

from ticketing.models.tickets import Ticket


def act(client, number: str, action: str, role: str = "staff", **fields):  # type: ignore[no-untyped-def]
    return client.post(f"/api/tickets/{number}/transitions", json={"action": action, "role": role, **fields})


def dept(client, ticket: dict, action: str, **fields):  # type: ignore[no-untyped-def]
    return act(client, ticket["number"], action, "department", department=ticket["department"]["code"],
               actor="王科长", **fields)


def test_lifecycle_over_http(client, make_ticket) -> None:
    ticket = make_ticket()
    assert ticket["state"] == "已派单"
    signed = dept(client, ticket, "sign")
    assert signed.status_code == 200, signed.text
    assert signed.json()["event"]["action"] == "sign" and signed.json()["ticket"]["state"] == "已签收"
    resolved = dept(client, ticket, "resolve", reply="已安排维修人员更换灯泡。").json()["ticket"]
    assert resolved["state"] == "已办结" and resolved["reply"].startswith("已安排") and resolved["due_status"] == "按期办结"
    assert act(client, ticket["number"], "follow_up", rating="满意").json()["ticket"]["rating"] == "满意"
    assert act(client, ticket["number"], "archive").json()["ticket"]["state"] == "已归档"
    events = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert [e["seq"] for e in events] == list(range(1, 7))
    assert [e["to_state"] for e in events] == ["已受理", "已派单", "已签收", "已办结", "已回访", "已归档"]
    assert events[2]["actor"] == "王科长" and events[2]["role"] == "department"


def test_refused_transition_is_409_in_chinese(client, make_ticket) -> None:
    ticket = make_ticket()
    response = act(client, ticket["number"], "archive")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "transition_not_allowed" and "已派单" in error["message"]
    assert client.get(f"/api/tickets/{ticket['number']}").json()["state"] == "已派单"
    assert len(client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]) == 2


def test_return_then_dispatch_elsewhere(client, make_ticket) -> None:
    ticket = make_ticket()
    returned = dept(client, ticket, "return", reason="该路段路灯由区里管理").json()["ticket"]
    assert returned["state"] == "已受理" and returned["department"]["code"] == "hotline"
    again = act(client, ticket["number"], "dispatch", target_department="district-jianghan").json()["ticket"]
    assert again["state"] == "已派单" and again["department"]["name"] == "江汉区人民政府"
    bad = act(client, ticket["number"], "redispatch", target_department="nowhere", reason="x")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_department"


def test_extension_round_trip(client, make_ticket) -> None:
    ticket = make_ticket()
    dept(client, ticket, "sign")
    new_due = (datetime.fromisoformat(ticket["resolve_due_at"]) + timedelta(days=7)).isoformat()
    requested = dept(client, ticket, "request_extension", reason="需要更换线路", requested_due_at=new_due)
    assert requested.json()["ticket"]["extension_requested_due_at"] == new_due
    approved = act(client, ticket["number"], "approve_extension").json()["ticket"]
    assert approved["resolve_due_at"] == new_due and approved["extension_requested_due_at"] is None
    naive = dept(client, ticket, "request_extension", reason="x", requested_due_at="2030-01-01T10:00:00")
    assert naive.status_code == 422


def test_reopen_after_unsatisfied_and_merge(client, make_ticket) -> None:
    ticket = make_ticket()
    dept(client, ticket, "sign")
    dept(client, ticket, "resolve", reply="已处理")
    act(client, ticket["number"], "follow_up", rating="不满意", role="resident")
    reopened = act(client, ticket["number"], "reopen", reason="市民反映仍未修好").json()["ticket"]
    assert reopened["state"] == "已派单" and reopened["reopen_count"] == 1
    duplicate = make_ticket(description="同一个路灯还是坏的")
    merged = act(client, duplicate["number"], "merge", parent_number=ticket["number"]).json()["ticket"]
    assert merged["state"] == "已合并" and merged["merged_into"] == ticket["number"]
    missing = act(client, make_ticket()["number"], "merge", parent_number="20200101-000001")
    assert missing.status_code == 404


def test_validation_and_permissions(client, make_ticket) -> None:
    ticket = make_ticket()
    assert act(client, ticket["number"], "sign", role="department", department="water-supply").status_code == 403
    assert act(client, ticket["number"], "sign", role="resident").status_code == 403
    assert act(client, ticket["number"], "fly").json()["error"]["code"] == "unknown_action"
    assert act(client, ticket["number"], "sign", role="mayor").status_code == 422
    assert act(client, "20200101-000001", "sign").status_code == 404
    missing_reason = dept(client, ticket, "return")
    assert missing_reason.status_code == 422 and missing_reason.json()["error"]["details"][0]["field"] == "reason"


def test_allowed_actions_listing(client, make_ticket) -> None:
    ticket = make_ticket()
    listing = client.get(f"/api/tickets/{ticket['number']}/transitions",
                         params={"role": "department", "department": ticket["department"]["code"]}).json()
    assert listing["state"] == "已派单" and {a["action"] for a in listing["actions"]} == {"sign", "return"}


def test_overdue_and_warning_filters(client, make_ticket, app, sign_in) -> None:
    late, warned, fine = make_ticket(), make_ticket(), make_ticket()
    past = datetime.now(timezone.utc) - timedelta(hours=1)
    with app.state.sessions() as session, session.begin():  # move the clock by moving the deadlines
        rows = {t.number: t for t in session.scalars(select(Ticket))}
        rows[late["number"]].resolve_due_at = rows[late["number"]].warn_at = past
        rows[warned["number"]].warn_at = past
    overdue = client.get("/api/tickets", params={"due_status": "超期"}).json()
    assert [t["number"] for t in overdue["items"]] == [late["number"]]
    assert overdue["items"][0]["due_status"] == "超期"
    warning = client.get("/api/tickets", params={"due_status": "预警"}).json()
    assert [t["number"] for t in warning["items"]] == [warned["number"]]
    normal = client.get("/api/tickets", params={"due_status": "正常"}).json()
    assert [t["number"] for t in normal["items"]] == [fine["number"]]
    sign_in("operator")
    assert "超期" in client.get("/staff/tickets").text


def test_history_is_append_only_in_the_database(client, make_ticket, app) -> None:
    make_ticket()
    with app.state.engine.connect() as conn:
        for statement in ("UPDATE ticket_events SET note = 'changed'", "DELETE FROM ticket_events"):
            try:
                conn.execute(text(statement))
                raise AssertionError(f"{statement} was allowed")
            except Exception as exc:  # the trigger's error, whatever the driver calls it
                assert "append-only" in str(exc)
                conn.rollback()


def test_reclassify_changes_category_priority_and_deadline(client, make_ticket) -> None:
    ticket = make_ticket(description="说不清楚的事情")
    assert ticket["priority"] == "普通"
    number = ticket["number"]
    assert act(client, number, "reclassify").status_code == 422
    changed = act(client, number, "reclassify", category=["城乡建设", "城市建设和市政管理", "燃气供应"]).json()["ticket"]
    assert changed["category"][2] == "燃气供应" and changed["state"] == "已受理"
    created = datetime.fromisoformat(changed["created_at"])
    assert datetime.fromisoformat(changed["resolve_due_at"]) - created == timedelta(hours=24)
    urgent = act(client, number, "reclassify", urgent=True).json()["ticket"]
    assert urgent["priority"] == "紧急"
    assert datetime.fromisoformat(urgent["resolve_due_at"]) - created == timedelta(hours=2)
    event = client.get(f"/api/tickets/{number}/history").json()["events"][-1]
    assert event["action"] == "reclassify" and "紧急" in event["note"]


def test_reclassify_from_the_staff_form(client, make_ticket, sign_in) -> None:
    import re

    sign_in("operator")
    ticket = make_ticket(description="说不清楚")
    html = client.get(f"/staff/tickets/{ticket['number']}").text
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    form = {"csrf": token, "action": "reclassify", "category": "民政 › 社会救助", "urgent": ""}
    assert client.post(f"/staff/tickets/{ticket['number']}/actions", data=form, follow_redirects=False).status_code == 303
    assert client.get(f"/api/tickets/{ticket['number']}").json()["category"] == ["民政", "社会救助"]
