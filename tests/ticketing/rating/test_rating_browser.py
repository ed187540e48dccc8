"""The rating page on a phone (390×844) in real Chromium, and the staff 回访 list on a desktop.

Screenshots go to docs/screenshots/ (rating-*.png, followup-*.png): look at them after a change.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select, update

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.timefmt import utcnow
from ticketing.models.tickets import Ticket
from ticketing.services.rating_links import issue_rating_link
from tests.support.browser import chromium_browser
from tests.support.pages_server import CHROMIUM, api, prepare_database, serve, sign_in

pytestmark = pytest.mark.browser
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium package", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed in this venv")

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SECRET = "browser-tests-secret-key-0123456789abcdef"  # the server's YIJIAN_SECRET_KEY (tests/support/pages_server.py)
REPLY = ("经现场核查，小区门口路灯因线路老化损坏。我局已于12月3日安排维修人员更换灯杆线路和灯泡，"
         "现已恢复夜间照明。感谢您对城市管理工作的支持。")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("rating-browser")
    url = prepare_database(folder / "rating.db")
    with serve(url, folder / "server.log") as base:
        yield base, url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium_browser() as chromium:
        yield chromium


def _answered(base: str) -> str:
    ticket = api(base, "POST", "/api/tickets", {"description": "小区门口路灯坏了，晚上很黑", "contact_name": "张先生",
                                                "contact_phone": "13812345678"})
    code = ticket["department"]["code"]
    for action, extra in (("sign", {}), ("resolve", {"reply": REPLY})):
        api(base, "POST", f"/api/tickets/{ticket['number']}/transitions",
            {"action": action, "role": "department", "department": code, "actor": "王科长", **extra})
    return ticket["number"]


def _link(database_url: str, number: str) -> str:
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            ticket = session.scalar(select(Ticket).where(Ticket.number == number))
            return issue_rating_link(session, ticket, utcnow(), secret=SECRET)
    finally:
        engine.dispose()


def _fits_the_phone(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"


def test_rating_page_on_a_phone(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, database_url = server
    number = _answered(base)
    path = _link(database_url, number)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(base + path)
    assert page.locator("h1").inner_text() == "请评价这次答复"
    assert "恢复夜间照明" in page.locator(".reply-text").inner_text()
    _fits_the_phone(page)
    choices = page.locator(".choice span")
    assert choices.count() == 3 and [choices.nth(i).inner_text() for i in range(3)] == ["满意", "基本满意", "不满意"]
    for i in range(3):  # big enough to tap, side by side inside the screen
        box = choices.nth(i).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "rating-phone-390x844.png"), full_page=True)

    page.locator(".choice span", has_text="不满意").click()
    page.fill("textarea[name=comment]", "<b>灯还是不亮</b>，晚上依旧很黑")
    page.screenshot(path=str(SHOTS / "rating-phone-390x844-filled.png"))
    page.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == "感谢您的评价"
    assert "重新办理" in page.locator(".rating-done").inner_text()
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "rating-done-phone-390x844.png"))
    assert api(base, "GET", f"/api/tickets/{number}")["state"] == "已派单"  # 不满意 → 重办

    page.goto(base + path)  # the same link again
    assert page.locator("h1").inner_text() == "这个链接已经使用过"
    assert "不满意" in page.locator(".rating-message").inner_text()
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "rating-used-phone-390x844.png"))
    page.goto(base + path[:-2] + "xx")  # altered
    assert page.locator("h1").inner_text() == "无法识别这个评价链接"
    page.screenshot(path=str(SHOTS / "rating-altered-phone-390x844.png"))
    context.close()


def test_followup_list_and_call_page(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, database_url = server
    number = _answered(base)
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session, session.begin():  # answered three days ago
        session.execute(update(Ticket).where(Ticket.number == number).values(resolved_at=utcnow() - timedelta(days=3)))
    engine.dispose()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, base, "operator")
    page.goto(f"{base}/staff/followup")
    assert page.locator("nav a.active").inner_text() == "回访"
    row = page.locator(f'tr[data-ticket="{number}"]')
    assert "138****5678" in row.inner_text()
    row.locator("a.btn").click()
    page.wait_for_load_state("domcontentloaded")
    page.locator("form.followup-form button", has_text="无法联系").click()
    page.wait_for_load_state("domcontentloaded")
    assert "无法联系（第 1 次）" in page.locator(".flash-ok").inner_text()
    assert "无法联系 1 次" in page.locator(f'tr[data-ticket="{number}"]').inner_text()
    page.screenshot(path=str(SHOTS / "followup-desktop-1366x768.png"), full_page=True)
    page.goto(f"{base}/staff/followup/{number}")
    page.screenshot(path=str(SHOTS / "followup-call-desktop-1366x768.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/staff/followup")
    page.screenshot(path=str(SHOTS / "followup-phone-390x844.png"), full_page=True)
    context.close()


def test_admin_navigation_with_followup_fits_a_phone(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = server
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, "admin")  # the longest console navigation: every link
    page.goto(f"{base}/staff/followup")
    assert page.locator("nav a", has_text="回访").count() == 1
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "followup-admin-phone-390x844.png"))
    context.close()
