"""The hostile corpus (tests/hostile/corpus.py) through the JSON API, Open311 and every form, on SQLite
and PostgreSQL: stored exactly as sent, or refused with a clean 4xx in Chinese; never a 5xx; pages
escape it. (Rendering in a real browser: test_corpus_browser.py.)
"""
from __future__ import annotations

import html
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests.hostile import corpus
from tests.support.accounts import csrf_from, sign_in
from ticketing.models.tickets import Ticket, TicketEvent
from ticketing.web import resident

CJK = re.compile(r"[\u4e00-\u9fff]")
TEXT_IDS = [f"{i}:{p[:18]!r}" for i, p in enumerate(corpus.ALL_TEXT)]


def _stored(app, number: str) -> Ticket:  # type: ignore[no-untyped-def]
    with app.state.sessions() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == number))
        assert ticket is not None
        _ = ticket.events
        return ticket


def _count(app) -> int:  # type: ignore[no-untyped-def]
    with app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(Ticket)) or 0


def _chinese_refusal(response, *statuses: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert CJK.search(response.text), f"refusal without a Chinese message: {response.text[:200]}"


def _escaped_in(page_html: str, text: str) -> bool:
    """The text appears HTML-escaped (as Jinja writes it), and never raw when it holds markup."""
    if any(c in text for c in "<>\"'&") and text in page_html:
        return False
    return str(escape(text)) in page_html or html.escape(text, quote=True) in page_html


@pytest.mark.parametrize("payload", corpus.ALL_TEXT, ids=TEXT_IDS)
def test_api_stores_the_text_exactly_and_finds_it(app, integration, anonymous, payload: str) -> None:
    body = {"description": corpus.complaint(payload), "place": payload[:500], "contact_name": payload[:100],
            "event_time": payload[:200], "conversation_id": payload[:128]}
    response = integration.post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    number = response.json()["number"]
    ticket = _stored(app, number)
    assert ticket.description == body["description"].strip()
    assert (ticket.place, ticket.contact_name, ticket.event_time) == tuple(
        (body[k].strip() or None) for k in ("place", "contact_name", "event_time"))
    assert integration.get(f"/api/tickets/{number}").json()["description"] == ticket.description
    assert integration.get(f"/api/tickets/{number}/history").status_code == 200
    assert anonymous.get(f"/api/tickets/{number}/history").status_code == 401  # reads need the token or a session
    query = payload[:100].strip()
    if query:
        found = integration.get("/api/tickets", params={"q": query, "per_page": 100})
        assert found.status_code == 200 and number in [t["number"] for t in found.json()["items"]], \
            "search does not find the literal text (LIKE wildcards not escaped?)"
    by_conversation = integration.get("/api/tickets", params={"conversation_id": payload[:128].strip()})
    assert by_conversation.status_code == 200
    note = integration.post(f"/api/tickets/{number}/transitions",
                            json={"action": "supplement", "role": "resident", "note": payload})
    assert note.status_code == 200, note.text
    assert note.json()["event"]["note"] == payload.strip()


@pytest.mark.parametrize("text", corpus.NUL_TEXTS, ids=["nul-inside", "nul-only"])
def test_nul_is_refused_everywhere_in_chinese(app, integration, anonymous, text: str) -> None:
    """Regression: PostgreSQL cannot store NUL; it used to answer 500 on create, search and filters."""
    before = _count(app)
    _chinese_refusal(integration.post("/api/tickets", json={"description": corpus.complaint(text)}), 422)
    _chinese_refusal(integration.post("/api/tickets", json={"description": "路灯坏了", "place": text}), 422)
    for params in ({"q": text}, {"conversation_id": text}, {"department": text}, {"state": text}):
        _chinese_refusal(integration.get("/api/tickets", params=params), 422)
    _chinese_refusal(anonymous.get("/open311/v2/requests.json", params={"service_request_id": text}), 400)
    _chinese_refusal(anonymous.post("/open311/v2/requests.json", data={
        "service_code": "streetlight", "address_string": "中南路", "description": text}), 400)
    number = integration.post("/api/tickets", json={"description": "路灯坏了"}).json()["number"]
    _chinese_refusal(integration.post(f"/api/tickets/{number}/transitions",
                                      json={"action": "supplement", "role": "resident", "note": text}), 422)
    assert _count(app) == before + 1, "a refused request still filed a ticket"


def test_oversized_bodies_get_413_and_the_service_survives(app, integration, anonymous) -> None:
    before = _count(app)
    big = integration.post("/api/tickets", json={"description": "路灯坏了", "junk": "x" * (1024 * 1024)})
    _chinese_refusal(big, 413)
    _chinese_refusal(integration.post("/api/tickets", json={"description": "长" * 10001}), 422)
    ok = integration.post("/api/tickets", json={"description": "长" * 10000})
    assert ok.status_code == 201 and len(_stored(app, ok.json()["number"]).description) == 10000
    _chinese_refusal(anonymous.post("/open311/v2/requests.json", data={"description": "x" * (1024 * 1024 + 1)}), 413)
    chunks = (b"x" * 65536 for _ in range(20))  # no Content-Length: counted while streaming
    _chinese_refusal(integration.post("/api/tickets", content=chunks, headers={"Content-Type": "application/json"}), 413)
    assert anonymous.get("/api/health").json()["status"] == "ok"
    assert _count(app) == before + 1


def test_deeply_nested_and_malformed_json_are_clean_4xx(integration, anonymous) -> None:
    for depth in (50, 5000, 100000):
        response = integration.post("/api/tickets", content=corpus.nested_json(depth),
                                    headers={"Content-Type": "application/json"})
        _chinese_refusal(response, 400, 422)
    for raw in (b"{", b'{"description": "\xff\xfe"}', b'{"description": "\\ud800"}', b"\xef\xbb\xbf{}", b"null"):
        _chinese_refusal(integration.post("/api/tickets", content=raw, headers={"Content-Type": "application/json"}),
                         400, 422)
    assert anonymous.get("/api/health").status_code == 200


@pytest.mark.parametrize("body", corpus.WRONG_TYPES, ids=[f"type{i}" for i in range(len(corpus.WRONG_TYPES))])
def test_wrong_types_are_refused_in_chinese(integration, body) -> None:  # type: ignore[no-untyped-def]
    _chinese_refusal(integration.post("/api/tickets", json=body), 422)


@pytest.mark.parametrize("segment", corpus.NUMBER_PATHS)
def test_ticket_number_paths_are_not_found(anonymous, integration, segment: str) -> None:
    for path in (f"/api/tickets/{segment}", f"/api/tickets/{segment}/history", f"/api/tickets/{segment}/transitions",
                 f"/open311/v2/requests/{segment}.json"):
        response = integration.get(path)
        assert response.status_code in (404, 400, 422), (path, response.status_code)
        assert "root:" not in response.text
        if path.startswith("/api/"):  # nobody learns even that: 401 before the number is looked at
            refused = anonymous.get(path)  # (or no route at all, for segments that leave /api/tickets/)
            assert refused.status_code == 401 or refused.json()["error"]["code"] == "not_found", path
    moved = integration.post(f"/api/tickets/{segment}/transitions", json={"action": "archive"})
    assert moved.status_code in (404, 422), moved.text


@pytest.mark.parametrize("path", corpus.STATIC_ESCAPES)
def test_static_files_do_not_escape_their_folder(anonymous, path: str) -> None:
    response = anonymous.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert "import" not in response.text and "root:" not in response.text


@pytest.mark.parametrize("payload", corpus.XSS + corpus.SQL, ids=[f"{i}" for i in range(len(corpus.XSS + corpus.SQL))])
def test_open311_stores_the_text_exactly(app, anonymous, payload: str) -> None:
    response = anonymous.post("/open311/v2/requests.json", data={
        "service_code": "streetlight", "address_string": payload[:200], "description": corpus.complaint(payload),
        "first_name": payload[:20]})
    assert response.status_code == 200, response.text
    number = response.json()[0]["service_request_id"]
    assert _stored(app, number).description.startswith(corpus.complaint(payload).strip())
    shown = anonymous.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert shown["description"].startswith(corpus.complaint(payload).strip())


# --- forms ------------------------------------------------------------------------------------------------

XSS_IDS = [f"xss{i}" for i in range(len(corpus.XSS))]


@pytest.mark.parametrize("payload", corpus.XSS[:8] + corpus.SQL[:2], ids=[f"p{i}" for i in range(10)])
def test_sign_in_and_lookup_forms_refuse_and_escape(app, anonymous, payload: str) -> None:
    from ticketing.web import signin

    signin.FAILURES.clear()
    token = csrf_from(anonymous.get("/login").text)
    page = anonymous.post("/login", data={"csrf": token, "username": payload[:40], "password": payload,
                                          "next": payload})
    assert page.status_code == 401 and "用户名或密码不正确" in page.text
    assert _escaped_in(page.text, payload[:40].strip()) or not payload[:40].strip()
    resident.LIMIT.clear()
    token = csrf_from(anonymous.get("/").text)
    lookup = anonymous.post("/lookup", data={"csrf": token, "number": payload[:30], "last4": payload[:10]})
    _chinese_refusal(lookup, 422)
    assert payload[:30].strip() not in lookup.text or _escaped_in(lookup.text, payload[:30].strip())
    resident.LIMIT.clear()
    signin.FAILURES.clear()


def test_staff_intake_actions_and_admin_pages_store_exactly_and_escape(app, anonymous) -> None:
    """An operator files every payload by phone intake, adds it as a note, and opens the pages."""
    sign_in(anonymous, app, "operator")
    numbers = {}
    for payload in corpus.XSS + corpus.SQL + corpus.CONTROL:
        form = csrf_from(anonymous.get("/staff/intake").text)
        response = anonymous.post("/staff/intake", data={
            "csrf": form, "token": f"t{abs(hash(payload))}", "kind": "投诉", "description": corpus.complaint(payload),
            "place": payload[:500], "contact_name": payload[:100], "contact_phone": "13800001234",
            "event_time": payload[:200]}, follow_redirects=False)
        assert response.status_code == 303, (payload, response.status_code, response.text[:300])
        number = response.headers["location"].split("/")[-1].split("?")[0]
        numbers[payload] = number
        ticket = _stored(app, number)
        assert ticket.description == corpus.complaint(payload).strip()
        detail = anonymous.get(f"/staff/tickets/{number}")
        assert detail.status_code == 200 and _escaped_in(detail.text, ticket.description), payload
        token = csrf_from(detail.text)
        noted = anonymous.post(f"/staff/tickets/{number}/actions",
                               data={"csrf": token, "action": "internal_note", "note": payload}, follow_redirects=False)
        assert noted.status_code == 303, noted.text[:300]
        with app.state.sessions() as session:
            notes = session.scalars(select(TicketEvent.note).join(Ticket).where(
                Ticket.number == number, TicketEvent.action == "internal_note")).all()
        assert notes == [payload.strip()]
        refused = anonymous.post(f"/staff/tickets/{number}/actions", data={
            "csrf": token, "action": "dispatch", "target_department": payload[:100]})
        assert refused.status_code in (409, 422) and CJK.search(refused.text)
        listing = anonymous.get("/staff/tickets", params={"q": payload[:100]})
        assert listing.status_code == 200
    sign_in(anonymous, app, "admin")
    for payload in corpus.XSS[:6]:
        admin = anonymous.get("/admin", params={"ticket": payload[:20], "username": payload[:40]})
        assert admin.status_code == 200 and "<script>window.__pwned" not in admin.text


def test_department_reply_with_payload_is_stored_and_escaped(app, anonymous, integration) -> None:
    payload = corpus.XSS[2] + corpus.SQL[1]
    created = integration.post("/api/tickets", json={"description": "小区门口路灯坏了", "contact_phone": "13800001234"})
    ticket = created.json()
    department = ticket["department"]["code"]
    sign_in(anonymous, app, "dept_officer", department)
    base = f"/dept/{department}/tickets/{ticket['number']}"
    token = csrf_from(anonymous.get(base).text)
    assert anonymous.post(f"{base}/actions", data={"csrf": token, "action": "sign"},
                          follow_redirects=False).status_code == 303
    done = anonymous.post(f"{base}/actions", data={"csrf": token, "action": "resolve", "reply": payload},
                          follow_redirects=False)
    assert done.status_code == 303, done.text[:300]
    assert _stored(app, ticket["number"]).reply == payload
    page = anonymous.get(base)
    assert page.status_code == 200 and _escaped_in(page.text, payload)
    resident.LIMIT.clear()
    fresh = csrf_from(anonymous.get("/").text)
    looked = anonymous.post("/lookup", data={"csrf": fresh, "number": ticket["number"], "last4": "1234"})
    assert looked.status_code == 200 and _escaped_in(looked.text, payload)
    resident.LIMIT.clear()


EXTREME_DATES = ["0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_extreme_dates_are_refused_or_ignored_never_500(app, anonymous, integration, day: str) -> None:
    """Regression (schemathesis on /api/stats): 0001-01-01 and 9999-12-31 overflowed date arithmetic → 500
    in statistics, Open311 date windows, the supervisor dashboard and its CSV, and the staff list filters."""
    for params in ({"to": day}, {"from": day, "to": day}, {"from": day}):
        _chinese_refusal(integration.get("/api/stats", params=params), 422)
    for params in ({"end_date": f"{day}T00:00:00"}, {"start_date": f"{day}T23:59:59", "end_date": f"{day}T23:59:59"},
                   {"end_date": f"{day}T00:00:00+14:00"}):
        _chinese_refusal(anonymous.get("/open311/v2/requests.json", params=params), 400)
    sign_in(anonymous, app, "supervisor")
    for path in ("/supervise/", "/supervise/export.csv"):
        for params in ({"to": day}, {"from": day, "to": day}):
            assert anonymous.get(path, params=params).status_code == 200
    page = anonymous.get("/supervise/", params={"to": day})
    assert "日期超出支持范围" in page.text
    sign_in(anonymous, app, "operator")
    for params in ({"date_from": day}, {"date_to": day}, {"date_from": day, "date_to": day}):
        assert anonymous.get("/staff/tickets", params=params).status_code == 200
        assert anonymous.get("/staff/queue", params=params).status_code == 200


def test_non_finite_numbers_are_refused(integration) -> None:
    for raw in (b'{"description": "x", "lat": NaN}', b'{"description": "x", "long": Infinity}',
                b'{"description": "x", "lat": 1e999}'):
        _chinese_refusal(integration.post("/api/tickets", content=raw, headers={"Content-Type": "application/json"}),
                         400, 422)
