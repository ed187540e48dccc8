"""Who may read what through the JSON API: every operation of ``/openapi.json``, walked as every caller.

The expectation never comes from the answers. ``PUBLIC`` names the operations anyone may call;
``GUARDED`` names the ``Permissions`` question behind each other one; which ticket a caller may see,
whether contacts are in clear and whether internal notes show are asked of ``domain/permissions.py``.
An operation in neither table fails the walk (a new route must be classified before it ships), and a
public one that shows a contact or an internal note fails the leak check.
"""
from __future__ import annotations

import itertools
import re
from typing import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ticketing.domain.permissions import ANONYMOUS, INTEGRATION, Permissions, Principal, account
from ticketing.domain.vocabulary import ACCOUNT_ROLES, DEPT_OFFICER
from ticketing.models.tickets import Ticket

NAME, PHONE, NOTE = "欧阳修文", "13812345678", "内部备注：来电人情绪激动，注意沟通"
LAMP, WAGE = "小区门口路灯坏了，晚上很黑", "老板拖欠工资三个月了"
DEPT_A = "urban-management"  # where LAMP is routed; WAGE goes to another department (B)

Operation = tuple[str, str]
PUBLIC: set[Operation] = {  # what residents, web pages and Open311 clients need without an account
    ("GET", "/api/health"), ("GET", "/api/calendar/{year}"), ("GET", "/api/departments"),
    ("GET", "/api/categories"), ("POST", "/api/tickets"),
    ("GET", "/open311/v2/services.{fmt}"), ("GET", "/open311/v2/services/{code}.{fmt}"),
    ("GET", "/open311/v2/requests.{fmt}"), ("POST", "/open311/v2/requests.{fmt}"),
    ("GET", "/open311/v2/request/{request_id}.{fmt}"), ("GET", "/open311/v2/requests/{request_id}.{fmt}"),
}
GUARDED: dict[Operation, Callable[[Permissions], bool]] = {
    ("GET", "/api/tickets"): Permissions.may_read_tickets,
    ("GET", "/api/tickets/{number}"): Permissions.may_read_tickets,
    ("GET", "/api/tickets/{number}/history"): Permissions.may_read_tickets,
    ("GET", "/api/tickets/{number}/transitions"): Permissions.may_read_tickets,
    ("POST", "/api/tickets/{number}/transitions"): Permissions.may_run_actions,
    ("GET", "/api/stats"): Permissions.may_read_statistics,
    ("GET", "/api/followup"): Permissions.may_read_followup,
}
SHOWS_CONTACT = {("GET", "/api/tickets"), ("GET", "/api/tickets/{number}"), ("POST", "/api/tickets/{number}/transitions")}
SHOWS_NOTES = {("GET", "/api/tickets/{number}/history")}
LISTS = {("GET", "/api/tickets")}
WORKFLOW = {("POST", "/api/tickets/{number}/transitions")}  # past the permissions, the state machine may refuse
BODIES = {
    ("POST", "/api/tickets"): {"json": {"description": "井盖丢了，晚上很危险"}},
    ("POST", "/api/tickets/{number}/transitions"): {"json": {"action": "supplement", "note": "下午又去看了"}},
    ("POST", "/open311/v2/requests.{fmt}"): {"data": {"service_code": "road-damage", "description": "人行道砖块松动",
                                                      "address_string": "江汉区解放大道688号"}},
}
TICKET_PARAMETERS = ("number", "request_id")
CALLERS: dict[str, Principal] = {"anonymous": ANONYMOUS, "token": INTEGRATION, **{
    role: account(role, DEPT_A if role == DEPT_OFFICER else None) for role in ACCOUNT_ROLES}}


@pytest.fixture()
def tickets(client: TestClient, make_ticket) -> list[str]:  # type: ignore[no-untyped-def]
    """A: department A's; B: another department's; C: B leads, A assists. Each with a contact and a note."""
    contact = {"contact_name": NAME, "contact_phone": PHONE}
    a, b, c = (make_ticket(description=text, **contact)["number"] for text in (LAMP, WAGE, WAGE))
    act = lambda number, **body: client.post(f"/api/tickets/{number}/transitions", json=body)  # noqa: E731
    assert act(c, action="add_assist", target_department=DEPT_A).status_code == 200
    assert all(act(n, action="internal_note", note=NOTE).status_code == 200 for n in (a, b, c))
    departments = [client.get(f"/api/tickets/{n}").json()["department"]["code"] for n in (a, b)]
    assert departments[0] == DEPT_A != departments[1]
    return [a, b, c]


def become(client: TestClient, sign_in, caller: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Headers for ``caller``: the client's token for "token", else none (a session, or nobody)."""
    client.cookies.clear()
    if caller == "token":
        return {}
    if caller != "anonymous":
        sign_in(caller, DEPT_A if caller == DEPT_OFFICER else None)
    return {"Authorization": ""}


def operations(client: TestClient) -> list[Operation]:
    paths = client.get("/openapi.json").json()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def urls(path: str, numbers: list[str], service_code: str) -> list[tuple[str, str | None]]:
    """``path`` with every parameter filled: each test ticket's number where one goes; the number used."""
    values = {"year": ["2026"], "fmt": ["json"], "code": [service_code],
              **{name: numbers for name in TICKET_PARAMETERS}}
    names = re.findall(r"{(\w+)}", path)
    assert set(names) <= set(values), f"{path}: give the walk a value for {set(names) - set(values)}"
    filled = []
    for combination in itertools.product(*(values[n] for n in names)):
        chosen = dict(zip(names, combination))
        url = re.sub(r"{(\w+)}", lambda m: chosen[m.group(1)], path)
        filled.append((url, next((chosen[n] for n in TICKET_PARAMETERS if n in chosen), None)))
    return filled


def all_tickets(app) -> dict[str, Ticket]:  # type: ignore[no-untyped-def]
    with app.state.sessions() as db:
        return {t.number: t for t in db.scalars(select(Ticket)).all()}


def refusal(operation: Operation, permissions: Permissions, ticket: Ticket | None) -> int | None:
    """The status the permissions demand (401 nobody, 403 not allowed, 404 hidden), None when allowed."""
    if operation in PUBLIC:
        return None
    assert operation in GUARDED, f"{operation}: classify it in PUBLIC or GUARDED (and in docs/ticketing-api.md)"
    if not GUARDED[operation](permissions):
        return 401 if permissions.is_anonymous else 403
    if ticket is not None and not permissions.may_see(ticket):
        return 404
    return None


def check_refused(response, status: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    code = {401: "not_signed_in", 403: "forbidden", 404: "ticket_not_found"}[status]
    assert response.json()["error"]["code"] == code
    assert not any(secret in response.text for secret in (LAMP, WAGE, NAME, PHONE, NOTE))


def check_allowed(response, operation: Operation, permissions: Permissions, app) -> None:  # type: ignore[no-untyped-def]
    status, text = response.status_code, response.text
    assert status not in (401, 404) and not (status == 403 and response.json()["error"]["code"] == "forbidden"), text
    assert status < 400 or operation in WORKFLOW, text
    full, notes = permissions.sees_full_contact(), permissions.sees_internal_notes()
    assert (PHONE not in text and NAME not in text) or (operation in SHOWS_CONTACT and full), "contact leaked"
    assert NOTE not in text or (operation in SHOWS_NOTES and notes), "internal note leaked"
    if status == 200 and operation in SHOWS_CONTACT:
        assert (PHONE in text) == full
    if status == 200 and operation in SHOWS_NOTES:
        assert (NOTE in text) == notes
    if operation in LISTS:
        visible = {n for n, t in all_tickets(app).items() if permissions.may_see(t)}
        assert {item["number"] for item in response.json()["items"]} == visible


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_every_operation_answers_as_the_permissions_say(client, app, sign_in, tickets, caller) -> None:  # type: ignore[no-untyped-def]
    service_code = client.get("/open311/v2/services.json").json()[0]["service_code"]
    permissions = Permissions(CALLERS[caller])
    headers = become(client, sign_in, caller)
    for method, path in operations(client):
        for url, number in urls(path, tickets, service_code):
            ticket = all_tickets(app)[number] if number else None
            response = client.request(method, url, headers=headers, **BODIES.get((method, path), {}))
            expected = refusal((method, path), permissions, ticket)
            where = f"{caller} {method} {url}"
            try:
                check_refused(response, expected) if expected else check_allowed(response, (method, path), permissions, app)
            except AssertionError as failure:
                raise AssertionError(f"{where}: {failure}") from failure


def test_every_operation_is_classified_once(client) -> None:
    listed = set(operations(client))
    assert listed - PUBLIC - set(GUARDED) == set(), "new operations: add them to PUBLIC or GUARDED"
    assert PUBLIC & set(GUARDED) == set() and (PUBLIC | set(GUARDED)) - listed == set(), "stale table entries"


def test_anonymous_ticket_read_is_401_without_its_text(app, make_ticket) -> None:
    """What a stranger with curl gets: no ticket, no description, however the number is asked for."""
    number = make_ticket(description=LAMP, contact_phone=PHONE)["number"]
    with TestClient(app) as curl:
        for url in (f"/api/tickets/{number}", f"/api/tickets/{number}/history",
                    f"/api/tickets/{number}/transitions", f"/api/tickets?q={number}", "/api/stats"):
            response = curl.get(url)
            assert response.status_code == 401 and response.json()["error"]["code"] == "not_signed_in", url
            assert "请先登录" in response.json()["error"]["message"] and LAMP not in response.text, url


def test_department_officer_acts_only_on_its_own_tickets(client, sign_in, tickets) -> None:  # type: ignore[no-untyped-def]
    mine, other, _ = tickets
    state = client.get(f"/api/tickets/{other}").json()["state"]
    become(client, sign_in, DEPT_OFFICER)
    plain, sign = {"Authorization": ""}, {"action": "sign"}
    signed = client.post(f"/api/tickets/{mine}/transitions", json=sign, headers=plain)
    assert signed.status_code == 200 and signed.json()["ticket"]["contact_phone"] == "138****5678"
    refused = client.post(f"/api/tickets/{other}/transitions", json=sign, headers=plain)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "ticket_not_found"
    assert client.get(f"/api/tickets/{other}").json()["state"] == state  # the token still reads it
