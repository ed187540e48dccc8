"""The hostile corpus rendered in real Chromium: filed through the API, the chat (Rasa REST webhook) and
the staff/department forms, then every page that shows it is opened by the role that sees it.

A script that ran would set ``window.__pwned``, open a dialog or add an element whose id starts with
``pwned``; none may happen, the text must show literally, and no page may answer 5xx.
"""
from __future__ import annotations

import re

import pytest
import requests

from tests.hostile import corpus
from tests.support.browser import chromium_browser, new_page
from tests.support.chat import Resident
from tests.support.staff import DEMO_PASSWORD, sign_in_page

pytestmark = pytest.mark.browser

STREETLIGHT = ["城乡建设", "城市建设和市政管理", "市政设施"]  # routed to urban-management (demo account "urban")
PHONE = "13800001234"


def _api(ticketing_url: str, token: str, method: str, path: str, **kwargs):  # type: ignore[no-untyped-def]
    response = requests.request(method, f"{ticketing_url}{path}", headers={"Authorization": f"Bearer {token}"},
                                timeout=30, **kwargs)
    assert response.status_code < 300, (path, response.status_code, response.text[:300])
    return response.json()


@pytest.fixture(scope="module")
def filed(stack, ticketing_url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ticket number per payload: description, place, name, a resident's supplement, a department's reply."""
    token = stack.config.api_token
    numbers: dict[str, str] = {}
    for payload in corpus.XSS + corpus.SQL[:2] + corpus.CONTROL[:2]:
        ticket = _api(ticketing_url, token, "POST", "/api/tickets", json={
            "description": corpus.complaint(payload), "place": payload[:500], "contact_name": payload[:100],
            "contact_phone": PHONE, "category": STREETLIGHT, "event_time": payload[:200]})
        number = ticket["number"]
        steps = [{"action": "supplement", "role": "resident", "note": payload},
                 {"action": "internal_note", "role": "staff", "note": payload}]
        if ticket["department"]["code"] == "urban-management":
            steps += [{"action": "sign", "role": "department", "department": "urban-management"},
                      {"action": "resolve", "role": "department", "department": "urban-management", "reply": payload}]
        for step in steps:
            _api(ticketing_url, token, "POST", f"/api/tickets/{number}/transitions", json=step)
        numbers[payload] = number
    return numbers


def _watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def _inert(page, dialogs: list[str], where: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(150)  # let any injected handler (onerror, onload, ontoggle) fire
    assert page.evaluate("typeof window.__pwned") == "undefined", f"a payload ran on {where}"
    assert page.locator("[id^=pwned]").count() == 0, f"a payload added an element on {where}"
    assert not dialogs, f"a payload opened a dialog on {where}: {dialogs}"


def _visit(page, url: str, dialogs: list[str]) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.status < 500, (url, response and response.status)
    _inert(page, dialogs, url)


def _shows(page, text: str) -> bool:  # type: ignore[no-untyped-def]
    """The text is on the page as text (whitespace collapsed the way the browser shows it)."""
    visible = re.sub(r"\s+", " ", page.inner_text("body"))
    return re.sub(r"\s+", " ", text).strip() in visible


def test_staff_pages_show_the_corpus_inert(filed: dict[str, str], ticketing_url: str) -> None:
    with chromium_browser() as browser:
        page = new_page(browser)
        dialogs = _watch(page)
        sign_in_page(page, ticketing_url, "operator")
        _visit(page, f"{ticketing_url}/staff/tickets?per_page=100", dialogs)
        _visit(page, f"{ticketing_url}/staff/queue", dialogs)
        for payload, number in filed.items():
            _visit(page, f"{ticketing_url}/staff/tickets/{number}", dialogs)
            assert _shows(page, corpus.complaint(payload)), f"{number} does not show the text literally"
            _visit(page, f"{ticketing_url}/staff/tickets?q={requests.utils.quote(payload[:100])}", dialogs)
        _visit(page, f"{ticketing_url}/supervise/", dialogs)


def test_department_portal_and_admin_show_the_corpus_inert(filed: dict[str, str], ticketing_url: str) -> None:
    with chromium_browser() as browser:
        page = new_page(browser)
        dialogs = _watch(page)
        sign_in_page(page, ticketing_url, "urban", "/dept/urban-management/tickets")
        _visit(page, f"{ticketing_url}/dept/urban-management/tickets", dialogs)
        for payload, number in list(filed.items())[:8]:
            _visit(page, f"{ticketing_url}/dept/urban-management/tickets/{number}", dialogs)
            assert _shows(page, payload.strip()), f"the reply of {number} is not shown literally"
        admin = new_page(browser)
        admin_dialogs = _watch(admin)
        sign_in_page(admin, ticketing_url, "admin", "/admin")
        for payload in corpus.XSS[:6]:
            _visit(admin, f"{ticketing_url}/admin?username={requests.utils.quote(payload[:40])}"
                          f"&ticket={requests.utils.quote(payload[:20])}", admin_dialogs)


def test_resident_pages_and_sign_in_form_show_the_corpus_inert(filed: dict[str, str], ticketing_url: str) -> None:
    with chromium_browser() as browser:
        page = new_page(browser)
        dialogs = _watch(page)
        for payload, number in list(filed.items())[:4]:  # under the lookup limit of one address
            _visit(page, f"{ticketing_url}/lookup", dialogs)
            page.fill('input[name="number"]', number)
            page.fill('input[name="last4"]', PHONE[-4:])
            page.click('form[action="/lookup"] button[type="submit"]')
            page.wait_for_load_state()
            _inert(page, dialogs, f"lookup of {number}")
            assert _shows(page, payload.strip()), "the department's reply is not shown literally to the resident"
        for payload in corpus.XSS[:5]:
            _visit(page, f"{ticketing_url}/login?next={requests.utils.quote(payload)}", dialogs)
            page.fill('input[name="username"]', payload[:40])
            page.fill('input[name="password"]', DEMO_PASSWORD + "x")
            page.click('button[type="submit"]')
            page.wait_for_load_state()
            _inert(page, dialogs, "sign-in error page")
            assert page.input_value('input[name="username"]') == payload[:40], "the username was not kept literally"


@pytest.mark.rasa
def test_chat_files_the_corpus_exactly_and_staff_see_it_inert(stack, rasa_url: str, ticketing_url: str) -> None:
    token = stack.config.api_token
    numbers = {}
    for payload in (corpus.XSS[0], corpus.XSS[2], corpus.SQL[1], corpus.XSS[8]):
        resident = Resident(rasa_url)
        text = f"我家楼下的路灯坏了好几天了 {payload}"
        reply = resident.follow_through(resident.say(text), place="武昌区中南路 8 号")
        number = resident.ticket_number(reply)
        ticket = _api(ticketing_url, token, "GET", f"/api/tickets/{number}")
        assert payload in ticket["description"], (payload, ticket["description"])
        numbers[payload] = number
        assert all("window.__pwned" not in answer or payload in answer for _, answer in resident.transcript)
    with chromium_browser() as browser:
        page = new_page(browser)
        dialogs = _watch(page)
        sign_in_page(page, ticketing_url, "operator")
        for payload, number in numbers.items():
            _visit(page, f"{ticketing_url}/staff/tickets/{number}", dialogs)
            assert _shows(page, payload), f"{number}: the chat text is not shown literally"


def test_the_canary_catches_a_payload_that_runs() -> None:
    """The checks above can fail: the same payloads written unescaped into a page are all caught."""
    with chromium_browser() as browser:
        for payload in (corpus.XSS[0], corpus.XSS[2], corpus.XSS[3], corpus.XSS[14]):
            page = new_page(browser)
            dialogs = _watch(page)
            page.set_content(f"<!doctype html><body><p>{payload}</p></body>")
            with pytest.raises(AssertionError):
                _inert(page, dialogs, "an unescaped page")
