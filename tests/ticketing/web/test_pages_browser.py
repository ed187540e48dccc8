"""Each role's main path in a real browser (Playwright + Debian Chromium, headless).

Staff dispatch a new ticket; the department signs, picks a reply template and resolves; a
department officer opening another department's ticket gets 403; a complaint with ``<script>``
shows as text; the resident page offers 查询工单; staff file a phone call.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.support.browser import chromium_browser
from tests.support.pages_server import CHROMIUM, api, prepare_database, serve, sign_in

pytestmark = pytest.mark.browser
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium package", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed in this venv")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    with serve(prepare_database(folder / "pages.db"), folder / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(10000)
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def _new_ticket(base: str, **fields) -> dict:  # type: ignore[no-untyped-def]
    return api(base, "POST", "/api/tickets", {"description": "这件事说不清楚归谁管", "contact_phone": "13812345678",
                                               "contact_name": "张先生", **fields})


def test_staff_dispatches_and_script_shows_as_text(base: str, page) -> None:  # type: ignore[no-untyped-def]
    ticket = _new_ticket(base, description="<script>alert('x')</script>这件事说不清楚找谁")
    assert ticket["state"] == "已受理", ticket["department"]
    sign_in(page, base, "dispatcher")
    assert page.url.endswith("/staff/queue")
    row = page.locator(f'tr[data-ticket="{ticket["number"]}"]')
    assert "<script>alert('x')</script>" in row.inner_text()
    row.locator("a").first.click()
    assert "<script>alert('x')</script>" in page.locator(".description-full").inner_text()
    assert page.locator(".contact").inner_text().startswith("张先生 13812345678")
    form = page.locator('details[data-action="dispatch"] form')
    form.locator("select[name=target_department]").select_option("housing")
    form.locator("button[type=submit]").click()
    assert "已完成：派单" in page.locator(".flash-ok").inner_text()
    assert page.locator(".head-tags .state-tag").inner_text() == "已派单"
    assert page.dialogs == []  # the script never ran


def test_department_signs_replies_and_resolves(base: str, page) -> None:  # type: ignore[no-untyped-def]
    ticket = _new_ticket(base, description="小区单元门口的路灯坏了，晚上很黑", place="洪山区珞喻路1037号")
    code = ticket["department"]["code"]
    username = {"urban-management": "urban", "district-hongshan": "hongshan"}.get(code)
    if username is None:
        api(base, "POST", f"/api/tickets/{ticket['number']}/transitions",
            {"action": "redispatch", "role": "staff", "target_department": "urban-management", "reason": "测试"})
        code, username = "urban-management", "urban"
    sign_in(page, base, username)
    page.goto(f"{base}/dept/{code}/tickets")
    page.locator(f'tr[data-ticket="{ticket["number"]}"] a').first.click()
    assert "138****5678" in page.locator(".contact").inner_text()
    page.locator('details[data-action="sign"] button[type=submit]').click()
    assert "已完成：签收" in page.locator(".flash-ok").inner_text()
    resolve = page.locator('details[data-action="resolve"]')
    resolve.locator("select[data-template-for]").select_option(index=1)
    text = resolve.locator("textarea[name=reply]").input_value()
    assert text.startswith("市民您好")
    resolve.locator("textarea[name=reply]").fill(text.replace("【", "").replace("】", ""))
    resolve.locator("button[type=submit]").click()
    assert page.locator(".head-tags .state-tag").inner_text() == "已办结"


def test_department_returns_and_asks_for_more_time(base: str, page) -> None:  # type: ignore[no-untyped-def]
    returned = _new_ticket(base, description="说不清楚的事")
    api(base, "POST", f"/api/tickets/{returned['number']}/transitions",
        {"action": "dispatch", "role": "staff", "target_department": "housing"})
    extended = _new_ticket(base, description="说不清楚的另一件事")
    api(base, "POST", f"/api/tickets/{extended['number']}/transitions",
        {"action": "dispatch", "role": "staff", "target_department": "housing"})
    api(base, "POST", f"/api/tickets/{extended['number']}/transitions",
        {"action": "sign", "role": "department", "department": "housing"})
    sign_in(page, base, "housing")
    page.goto(f"{base}/dept/housing/tickets/{returned['number']}")
    form = page.locator('details[data-action="return"]')
    form.locator("summary").click()
    form.locator("textarea[name=reason]").fill("该事项属于供水企业职责，请改派武汉水务集团")
    form.locator("button[type=submit]").click()
    assert "已完成：退单" in page.locator(".flash").inner_text()
    page.goto(f"{base}/dept/housing/tickets/{extended['number']}")
    form = page.locator('details[data-action="request_extension"]')
    form.locator("summary").click()
    form.locator("textarea[name=reason]").fill("需协调多个部门现场勘察")
    form.locator("input[name=requested_due_at]").fill("2030-01-10T17:30")
    form.locator("button[type=submit]").click()
    assert "申请延至" in page.locator(".facts").inner_text()


def test_staff_sees_returned_ticket_and_approves_extension(base: str, page) -> None:  # type: ignore[no-untyped-def]
    ticket = _new_ticket(base, description="说不清楚的事，要延期")
    number = ticket["number"]
    for body in ({"action": "dispatch", "role": "staff", "target_department": "housing"},
                 {"action": "sign", "role": "department", "department": "housing"},
                 {"action": "request_extension", "role": "department", "department": "housing",
                  "reason": "需要时间", "requested_due_at": "2030-02-01T17:30:00+08:00"}):
        api(base, "POST", f"/api/tickets/{number}/transitions", body)
    sign_in(page, base, "operator")
    page.locator(f'.extension-box a:text("{number}")').click()
    page.locator('details[data-action="approve_extension"] summary').click()
    page.locator('details[data-action="approve_extension"] button[type=submit]').click()
    assert "已完成：同意延期" in page.locator(".flash-ok").inner_text()


def test_officer_gets_403_on_another_departments_ticket(base: str, page) -> None:  # type: ignore[no-untyped-def]
    ticket = _new_ticket(base, description="老板拖欠工资三个月")
    owner = ticket["department"]["code"]
    assert owner != "water-supply"
    sign_in(page, base, "water")
    for url in (f"/dept/water-supply/tickets/{ticket['number']}", f"/dept/{owner}/tickets/{ticket['number']}",
                f"/staff/tickets/{ticket['number']}"):
        response = page.goto(f"{base}{url}")
        assert response.status == 403, url
        assert "无权" in page.content()


def test_phone_intake_and_sign_out(base: str, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, base, "operator")
    page.click("text=电话受理")
    page.fill("textarea[name=description]", "来电反映：小区门口下水道堵了，污水漫到路面")
    page.fill("input[name=place]", "江汉区解放大道688号")
    page.fill("input[name=contact_name]", "刘女士")
    page.fill("input[name=contact_phone]", "13700001234")
    page.click("button:text('提交工单')")
    assert "已完成：电话受理" in page.locator(".flash-ok").inner_text()
    assert "电话" in page.locator(".page-head .muted").inner_text()
    page.click(".whoami button")
    assert "您已安全退出" in page.content()
    page.goto(f"{base}/staff/queue")
    assert "/login" in page.url


def test_resident_page_and_lookup(base: str, page) -> None:  # type: ignore[no-untyped-def]
    ticket = _new_ticket(base, contact_phone="13912345678")
    page.goto(f"{base}/")
    assert page.locator("#webchat").count() == 1 and "12345" in page.locator(".topbar").inner_text()
    page.fill("form.lookup input[name=number]", ticket["number"])
    page.fill("form.lookup input[name=last4]", "5678")
    page.click("form.lookup button")
    assert ticket["number"] in page.locator(".lookup-result").inner_text()
    assert "13912345678" not in page.content()


def test_wrong_password_message(base: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.locator(".alert").inner_text()
