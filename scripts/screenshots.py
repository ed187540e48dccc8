"""Screenshots of every staff, department and resident page for the README's tour.

``.venvs/ticketing/bin/python scripts/screenshots.py [--out docs/screenshots]``: seeds a temporary
SQLite database (demo accounts, demo tickets, a few hand-made ones), starts the ticketing service,
signs in as each role in headless Chromium and saves each page at 1366×768 and 390×844 (full page).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# Committed pictures show our own example texts, never the shared real messages.
os.environ["YIJIAN_SEED_OWN_EXAMPLES"] = "1"

from tests.support.pages_server import (  # noqa: E402
    CHROMIUM, CHROMIUM_ARGS, api, prepare_database, serve, sign_in)

SIZES = {"desktop-1366x768": (1366, 768), "phone-390x844": (390, 844)}


def seed(database_url: str) -> None:
    """Demo tickets through the dashboard's seeder (real workflow), when it is available."""
    try:
        from ticketing.demo.seed import seed as seed_tickets
    except ImportError:
        return
    seed_tickets(database_url, 160)


def craft(base: str) -> dict[str, str]:
    """Tickets that show each page at its most useful: duplicates, a return, an extension, a script."""
    post = lambda body: api(base, "POST", "/api/tickets", body)  # noqa: E731
    act = lambda number, body: api(base, "POST", f"/api/tickets/{number}/transitions", body)  # noqa: E731
    lamp = {"description": "珞喻路1037号小区门口的路灯连续三个晚上不亮，行人过马路很危险，希望尽快修复。",
            "place": "洪山区珞喻路1037号", "contact_name": "张先生", "contact_phone": "13812345678", "channel": "chat"}
    first = post(lamp)
    dup = post({**lamp, "description": "珞喻路1037号附近路灯不亮好几天了，晚上一片漆黑。", "contact_name": "李女士",
                "contact_phone": "13987654321"})
    unclear = post({"description": "<script>alert('x')</script>小区旁边空地堆了很多东西，不知道该找哪个部门。",
                    "place": "江汉区解放大道688号", "contact_name": "王先生", "contact_phone": "13700001111"})
    returned = post({"description": "我家楼下的水表井盖松动，踩上去会晃，担心有人受伤。", "place": "武昌区中北路100号",
                     "contact_phone": "13600002222"})
    code = returned["department"]["code"]
    if returned["state"] == "已派单":
        act(returned["number"], {"action": "return", "role": "department", "department": code,
                                  "reason": "井盖属于供水企业设施，请改派武汉水务集团。"})
    for body in ({"action": "sign", "role": "department", "department": first["department"]["code"]},
                 {"action": "request_extension", "role": "department", "department": first["department"]["code"],
                  "reason": "需更换地下电缆，协调施工需要时间。", "requested_due_at": "2030-01-10T17:30:00+08:00"}):
        if first["state"] == "已派单":
            act(first["number"], body)
    return {"lamp": first["number"], "dup": dup["number"], "unclear": unclear["number"],
            "late": [first["number"], dup["number"]],
            "lamp_dept": first["department"]["code"], "dup_dept": dup["department"]["code"]}


def age(database_url: str, numbers: list[str]) -> None:
    """Move deadlines into the past (first overdue, second in warning) so the colours show."""
    from datetime import timedelta

    from sqlalchemy import select

    from ticketing.core.db import make_engine, make_sessionmaker
    from ticketing.models.tickets import Ticket
    from ticketing.core.timefmt import utcnow

    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as db, db.begin():
        for i, number in enumerate(numbers):
            ticket = db.scalar(select(Ticket).where(Ticket.number == number))
            ticket.warn_at = utcnow() - timedelta(hours=2)
            if i == 0:
                ticket.resolve_due_at = utcnow() - timedelta(hours=1)
    engine.dispose()


def _pick_template(page: Any) -> None:
    page.locator('details[data-action="resolve"] select[data-template-for]').select_option(index=1)


def shoot(browser: Any, base: str, out: Path, name: str, path: str, user: str | None = None,
          before: Callable[[Any], None] | None = None) -> None:
    for size, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                      device_scale_factor=1, is_mobile=width < 500, has_touch=width < 500)
        page = context.new_page()
        page.set_default_timeout(15000)
        if user:
            sign_in(page, base, user)
        page.goto(f"{base}{path}")
        if before:
            before(page)
        page.wait_for_load_state("networkidle")
        target = out / f"{name}-{size}.png"
        page.screenshot(path=str(target), full_page=True)
        print(f"saved {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")
        context.close()


def _lookup(number: str) -> Callable[[Any], None]:
    def fill(page: Any) -> None:
        page.fill("form.lookup input[name=number]", number)
        page.fill("form.lookup input[name=last4]", "5678")
        page.click("form.lookup button")
        page.wait_for_load_state("domcontentloaded")
    return fill


def _bad_password(page: Any) -> None:
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")


def run(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = prepare_database(Path(tmp) / "screens.db")
        seed(url)
        with serve(url, Path(tmp) / "server.log") as base, sync_playwright() as pw:
            made = craft(base)
            age(url, made["late"])
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            dept_user = {"urban-management": "urban", "district-hongshan": "hongshan"}.get(made["dup_dept"], "urban")
            dept_code = made["dup_dept"] if dept_user != "urban" or made["dup_dept"] == "urban-management" \
                else "urban-management"
            pages = [
                ("resident-home", "/", None, None),
                ("resident-lookup", "/lookup", None, _lookup(made["lamp"])),
                ("login", "/login", None, None),
                ("login-error", "/login", None, _bad_password),
                ("staff-queue", "/staff/queue", "operator", None),
                ("staff-tickets", "/staff/tickets", "dispatcher", None),
                ("staff-ticket", f"/staff/tickets/{made['dup']}", "dispatcher", None),
                ("staff-ticket-new", f"/staff/tickets/{made['unclear']}", "operator", None),
                ("staff-intake", "/staff/intake", "operator", None),
                ("dept-tickets", f"/dept/{dept_code}/tickets", dept_user, None),
                ("dept-ticket", f"/dept/{dept_code}/tickets/{made['dup']}", dept_user, None),
                ("dept-ticket-resolve", f"/dept/{dept_code}/tickets/{made['lamp']}", dept_user, _pick_template),
                ("admin-audit", "/admin", "admin", None),
                ("dept-forbidden", f"/staff/tickets/{made['lamp']}", dept_user, None),
            ]
            for name, path, user, before in pages:
                shoot(browser, base, out, name, path, user, before)
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium package", file=sys.stderr)
        return 2
    run(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
