"""The staff timeline names every action in Chinese (issue #14's drift bug), in a real browser.

Staff reclassify a ticket and add an assisting department through the page's own forms, the
assisting department writes its 协办意见 in the portal, and the staff page's 流转记录 shows
修改分类/紧急程度, 增加协办单位 and 协办意见, never an English action key. A screenshot of the
timeline is saved to tests/artifacts/.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from ticketing.domain.vocabulary import ACTION_LABELS, RECEIVED
from tests.support.pages_server import CHROMIUM, CHROMIUM_ARGS, api, prepare_database, serve, sign_in, sign_out

pytestmark = pytest.mark.browser
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium package", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed in this venv")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("timeline")
    with serve(prepare_database(folder / "pages.db"), folder / "server.log") as url:
        yield url


@pytest.fixture()
def page() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1366, "height": 1100}, locale="zh-CN")
        tab = context.new_page()
        tab.set_default_timeout(10000)
        yield tab
        chromium.close()


def _form(page, action: str):  # type: ignore[no-untyped-def]
    """The action's form, unfolded (a page with a single action shows it open already)."""
    details = page.locator(f'details[data-action="{action}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def _submit(page, action: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f'details[data-action="{action}"] button[type=submit]').click()
    page.wait_for_load_state("domcontentloaded")


def test_timeline_names_reclassify_and_assist_actions_in_chinese(base: str, page) -> None:  # type: ignore[no-untyped-def]
    ticket = api(base, "POST", "/api/tickets", {"description": "这件事说不清楚归谁管",
                                               "contact_phone": "13812345678", "contact_name": "张先生"})
    number = ticket["number"]
    assert ticket["state"] == RECEIVED  # no routing rule matches: it waits for staff
    api(base, "POST", f"/api/tickets/{number}/transitions",
        {"action": "dispatch", "role": "staff", "target_department": "housing"})

    sign_in(page, base, "dispatcher")
    page.goto(f"{base}/staff/tickets/{number}")
    reclassify = _form(page, "reclassify")
    reclassify.locator("input[name=category]").fill("城乡建设")
    reclassify.locator("select[name=urgent]").select_option("urgent")
    _submit(page, "reclassify")
    assert "已完成：修改分类/紧急程度" in page.locator(".flash-ok").inner_text()
    assist = _form(page, "add_assist")
    assist.locator("select[name=target_department]").select_option("water-supply")
    _submit(page, "add_assist")
    assert "已完成：增加协办单位" in page.locator(".flash-ok").inner_text()
    sign_out(page)

    sign_in(page, base, "water")
    page.goto(f"{base}/dept/water-supply/tickets/{number}")
    opinion = _form(page, "assist_opinion")
    assert opinion.locator("label:has(textarea[name=note])").inner_text().strip() == "协办意见"  # the form's label
    opinion.locator("textarea[name=note]").fill("供水管网无异常，建议主办单位排查噪音来源")
    _submit(page, "assist_opinion")
    sign_out(page)

    sign_in(page, base, "dispatcher")
    page.goto(f"{base}/staff/tickets/{number}")
    history = page.locator(".card-history")
    labels = [text.strip() for text in history.locator(".tl-head strong").all_inner_texts()]
    ARTIFACTS.mkdir(exist_ok=True)
    history.screenshot(path=str(ARTIFACTS / "timeline_labels.png"))
    assert labels == ["受理", "派单", "修改分类/紧急程度", "增加协办单位", "协办意见"], labels
    keys = [key for key in ACTION_LABELS if re.search(rf"(?<![A-Za-z_]){key}(?![A-Za-z_])", history.inner_text())]
    assert not keys, f"English action keys on the timeline: {keys}"
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} · ", history.inner_text())  # China time, to the minute
    note = _form(page, "internal_note").locator("label:has(textarea[name=note])")
    assert note.inner_text().strip() == "内部备注（承办单位看不到）"
