"""The dashboard in a real browser: ECharts loads from our server and every chart draws a canvas.

Runs the ticketing service (uvicorn, as ``make run``) on a free port over a seeded SQLite file and
opens ``/supervise/`` in headless Debian Chromium at desktop and phone sizes.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.ports import free_port

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM),
                                reason="Debian chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from launcher import processes
    from launcher.paths import REPO
    from launcher.stack import StackConfig, migrate_database, ticketing_spec
    from ticketing.demo.accounts import seed_demo_users
    from ticketing.demo.seed import Seeder
    from ticketing.core.db import make_engine, make_sessionmaker
    from ticketing.domain.rules import default_rules
    from ticketing.demo.texts import OWN_EXAMPLES
    from ticketing.core.timefmt import utcnow

    work: Path = tmp_path_factory.mktemp("dash")
    config = StackConfig(ticketing_port=free_port(), database_url=f"sqlite:///{work / 'tickets.db'}")
    migrate_database(config)
    engine = make_engine(config.database_url)
    Seeder(make_sessionmaker(engine), default_rules(), list(OWN_EXAMPLES), seed=3, now=utcnow()).run_seed(200)
    engine.dispose()
    seed_demo_users(config.database_url)
    service = processes.start(ticketing_spec(config), REPO, work / "logs")
    try:
        processes.wait_ready(service)
        yield config.ticketing_url
    finally:
        processes.stop(service)


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_charts_render_without_errors(served: str, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    from bench.web_session import signed_in

    cookies = signed_in(served).cookies
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            context.add_cookies([{"name": c.name, "value": c.value or "", "url": served} for c in cookies])
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "404" not in msg.text
                    else None)  # missing files are reported by URL below (the browser asks for a favicon)
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
            page.goto(served + "/supervise/")
            page.wait_for_selector("html[data-charts]", timeout=15000)
            assert page.get_attribute("html", "data-charts") == "5"
            for chart in ("weeks", "departments", "states", "categories", "hotspots"):
                assert page.locator(f"#chart-{chart} canvas").count() == 1, chart
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        finally:
            browser.close()
    assert errors == []
