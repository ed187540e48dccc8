"""Joint tickets: a lead department (主办) and assisting ones (协办); 属地兜底 as a routing option."""
from ticketing.domain.routing import Router, default_router


def test_rule_with_assisting_departments() -> None:
    decision = default_router().route(["城乡建设", "城乡规划", "违法建设"])
    assert decision.department == "urban-management" and decision.assist == ("natural-resources",)
    assert default_router().route(["环境保护"]).assist == ()


def test_router_created_joint_ticket(client) -> None:
    ticket = client.post("/api/tickets", json={"description": "邻居楼顶违建加盖了一层",
                                               "category": ["城乡建设", "城乡规划", "违法建设"]}).json()
    assert ticket["department"]["code"] == "urban-management"
    assert ticket["assist_departments"] == [{"code": "natural-resources", "name": "武汉市自然资源和规划局"}]
    note = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"][1]["note"]
    assert "协办" in note and "自然资源和规划局" in note


def _act(client, number, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/tickets/{number}/transitions", json=body)


def test_staff_adds_assist_and_assisting_department_gives_opinion(client, make_ticket) -> None:
    ticket = make_ticket()
    number, lead = ticket["number"], ticket["department"]["code"]
    added = _act(client, number, action="add_assist", target_department="power-supply")
    assert added.status_code == 200 and added.json()["ticket"]["assist_departments"][0]["code"] == "power-supply"
    again = _act(client, number, action="add_assist", target_department="power-supply")
    assert again.status_code == 409
    assert _act(client, number, action="add_assist", target_department=lead).status_code == 409
    opinion = _act(client, number, action="assist_opinion", role="department", department="power-supply",
                   note="该路灯线路属我司维护，已安排检修")
    assert opinion.status_code == 200 and opinion.json()["ticket"]["state"] == "已派单"
    assert _act(client, number, action="assist_opinion", role="department", department=lead,
                note="x").status_code == 403
    assert _act(client, number, action="sign", role="department", department="power-supply").status_code == 403
    listing = client.get(f"/api/tickets/{number}/transitions",
                         params={"role": "department", "department": "power-supply"}).json()
    assert [a["action"] for a in listing["actions"]] == ["assist_opinion"]


def test_assisting_department_sees_the_ticket_in_its_portal(client, make_ticket, sign_in) -> None:
    ticket = make_ticket()
    _act(client, ticket["number"], action="add_assist", target_department="power-supply")
    sign_in("dept_officer", "power-supply")
    listing = client.get("/dept/power-supply/tickets").text
    assert f'data-ticket="{ticket["number"]}"' in listing
    detail = client.get(f"/dept/power-supply/tickets/{ticket['number']}").text
    assert "协办单位" in detail and 'value="assist_opinion"' in detail and 'value="sign"' not in detail
    assert client.get(f"/dept/water-supply/tickets/{ticket['number']}").status_code == 403


def test_territorial_fallback_is_an_option() -> None:
    data = {"default": "hotline", "territorial_fallback": True, "rules": []}
    assert Router.from_data(data).territorial_fallback
    assert not default_router().territorial_fallback
