"""Keyset paging (issue #16): every list pages by cursor, visits each ticket once, refuses edited cursors.

Runs on SQLite and PostgreSQL (the ``client`` fixture's two databases). 60 tickets with 7 per page
is 9 pages, the last one short; tickets filed between two page views must not shift the pages
(with offsets they would push a row seen on one page onto the next).
"""
from __future__ import annotations

import html
import re

import pytest
from itsdangerous import URLSafeSerializer

from ticketing.http import cursors

TICKETS = 60
PER_PAGE = 7
PLACES = ("路灯坏了", "垃圾没人清运")


@pytest.fixture()
def sixty(client, make_ticket):  # type: ignore[no-untyped-def]
    """60 tickets, every fifth one urgent, two kinds of text (for a filter); newest first."""
    made = [make_ticket(description=f"{PLACES[i % 2]}，第{i}号", urgent=i % 5 == 0) for i in range(TICKETS)]
    return made[::-1]


def numbers(page_html: str) -> list[str]:
    return re.findall(r'<tr data-ticket="([^"]+)"', page_html)


def link(page_html: str, text: str) -> str | None:
    found = re.search(r'<a (?:rel="\w+" |class="\w+" )?href="([^"]+)">' + text + "</a>", page_html)
    return html.unescape(found.group(1)) if found else None


def walk_api(client, params: dict, make_ticket=None) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every page through next_cursor; with ``make_ticket`` a new ticket is filed between pages."""
    seen, cursor = [], None
    while True:
        body = client.get("/api/tickets", params={**params, "per_page": PER_PAGE,
                                                  **({"cursor": cursor} if cursor else {})}).json()
        assert len(body["items"]) <= PER_PAGE
        seen.append(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
        assert len(seen) < 50, "paging does not end"
        if make_ticket:
            make_ticket(description="翻页期间新来的工单")


def test_api_cursor_visits_every_ticket_once_while_tickets_arrive(client, make_ticket, sixty) -> None:
    pages = walk_api(client, {}, make_ticket)
    got = [t["number"] for p in pages for t in p["items"]]
    assert got == [t["number"] for t in sixty]
    assert [p["page"] for p in pages] == list(range(1, 10)) and len(pages[-1]["items"]) == TICKETS % PER_PAGE
    assert pages[0]["prev_cursor"] is None and pages[-1]["next_cursor"] is None
    assert pages[-1]["total"] == TICKETS + len(pages) - 1  # the arrivals are counted, not listed


def test_api_prev_cursor_walks_back_through_the_same_pages(client, sixty) -> None:
    pages = walk_api(client, {})
    cursor, back = pages[-1]["prev_cursor"], []
    while cursor:
        body = client.get("/api/tickets", params={"per_page": PER_PAGE, "cursor": cursor}).json()
        back.append(body)
        cursor = body["prev_cursor"]
    assert [[t["number"] for t in p["items"]] for p in back] == \
        [[t["number"] for t in p["items"]] for p in pages[-2::-1]]
    assert back[-1]["page"] == 1


def test_api_cursor_keeps_filters_and_offsets_still_work(client, sixty) -> None:
    pages = walk_api(client, {"q": "路灯"})
    got = [t["number"] for p in pages for t in p["items"]]
    assert got == [t["number"] for t in sixty if "路灯" in t["description"]]
    old = client.get("/api/tickets", params={"per_page": PER_PAGE, "page": 3}).json()
    assert [t["number"] for t in old["items"]] == [t["number"] for t in sixty[14:21]]
    assert old["next_cursor"] and old["prev_cursor"]


def test_api_refuses_an_edited_or_foreign_cursor(client, app, sixty) -> None:
    good = client.get("/api/tickets", params={"per_page": PER_PAGE}).json()["next_cursor"]
    payload, signature = good.rsplit(".", 1)
    edited = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
    signer = URLSafeSerializer(app.state.cursor_secret, salt=cursors.SALT)
    forged = [signer.dumps({"o": "newest", "k": ["not a time", 1], "b": 0, "p": 2}),   # signed, wrong type
              signer.dumps({"o": "deadline", "k": ["2026-11-30T04:00:00+00:00", 1], "b": 0, "p": 2}),
              signer.dumps({"o": "newest", "k": ["2026-11-30T04:00:00", 1], "b": 0, "p": 2}),  # naive time
              signer.dumps({"o": "newest", "k": ["2026-11-30T04:00:00+00:00", True], "b": 0, "p": 2})]
    for bad in (edited, "abc", "", "." * 50, good + "x", "€" * 10, *forged):
        response = client.get("/api/tickets", params={"cursor": bad})
        if bad == "":  # an empty cursor is no cursor: the first page
            assert response.status_code == 200
            continue
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["error"]["code"] == "invalid_cursor"
        assert "翻页" in response.json()["error"]["message"]


def walk_web(client, first_url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Pages of an HTML list by its 下一页 links; returns the pages' html."""
    pages, url = [], first_url
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        pages.append(response.text)
        url = link(response.text, "下一页")
        assert len(pages) < 50
    return pages


def test_staff_list_pages_by_cursor_with_filters(client, sign_in, make_ticket, sixty) -> None:
    sign_in("operator")
    pages = walk_web(client, f"/staff/tickets?per_page={PER_PAGE}")
    assert [n for p in pages for n in numbers(p)] == [t["number"] for t in sixty]
    assert "第 1 / 9 页" in pages[0] and "第 9 / 9 页" in pages[-1] and "回到第一页" in pages[3]
    assert link(pages[0], "上一页") is None and "回到第一页" not in pages[0]
    third = client.get(link(pages[3], "上一页")).text  # back from page 4
    assert numbers(third) == numbers(pages[2]) and "第 3 / 9 页" in third
    assert client.get(link(pages[3], "回到第一页")).text.count("<tr data-ticket") == PER_PAGE
    lamps = walk_web(client, f"/staff/tickets?per_page={PER_PAGE}&q=路灯")
    assert [n for p in lamps for n in numbers(p)] == [t["number"] for t in sixty if "路灯" in t["description"]]
    assert all("q=%E8%B7%AF%E7%81%AF" in (link(p, "下一页") or "q=%E8%B7%AF%E7%81%AF") for p in lamps)


def test_staff_list_refuses_an_edited_cursor_with_the_first_page(client, sign_in, sixty) -> None:
    sign_in("operator")
    first = client.get(f"/staff/tickets?per_page={PER_PAGE}").text
    after = re.search(r"after=([^&\"]+)", link(first, "下一页")).group(1)
    for bad in ("X" + after[1:], "abc"):
        response = client.get("/staff/tickets", params={"per_page": PER_PAGE, "after": bad})
        assert response.status_code == 422 and cursors.INVALID in response.text
        assert numbers(response.text) == numbers(first)
    swapped = client.get("/staff/tickets", params={"per_page": PER_PAGE, "before": after})
    assert swapped.status_code == 422  # an "after" cursor is not a "before" one
    foreign = client.get("/staff/queue", params={"after": after})
    assert foreign.status_code == 422  # a list cursor does not fit the queue's order


def test_queue_pages_urgent_first_then_oldest(client, sign_in, make_ticket) -> None:
    """The queue's order starts with the urgency flag: the key is (urgent?, created_at, id)."""
    waiting = [make_ticket(description=f"说不清楚{i}", urgent=i % 5 == 0) for i in range(45)]  # not routed: 已受理
    sign_in("operator")
    pages = walk_web(client, "/staff/queue")
    assert sum(t["priority"] == "紧急" for t in waiting) == 9
    expected = [t["number"] for t in waiting if t["priority"] == "紧急"] + \
        [t["number"] for t in waiting if t["priority"] != "紧急"]
    assert [n for p in pages for n in numbers(p)] == expected and len(pages) == 3
    assert numbers(client.get(link(pages[2], "上一页")).text) == numbers(pages[1])


def test_department_portal_pages_by_deadline(client, sign_in, make_ticket, sixty) -> None:
    code = sixty[0]["department"]["code"]
    own = [t for t in sixty if t["department"]["code"] == code]
    assert len(own) > 2 * PER_PAGE
    sign_in("dept_officer", code)
    pages = walk_web(client, f"/dept/{code}/tickets?per_page={PER_PAGE}")
    got = [n for p in pages for n in numbers(p)]
    oldest_first = own[::-1]  # ids grow with filing: ties of the deadline go by id
    by_deadline = sorted(range(len(own)), key=lambda i: (oldest_first[i]["resolve_due_at"], i))
    assert got == [oldest_first[i]["number"] for i in by_deadline]
    back = client.get(link(pages[2], "上一页")).text
    assert numbers(back) == numbers(pages[1])
