"""Headless Debian Chromium through Playwright: never a downloaded browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def chromium_browser() -> Iterator["object"]:
    """One headless Chromium; skips the test where it is not installed.

    Playwright's sync API allows one instance per thread, so a test that needs several people
    (separate cookies) opens one browser and a context per person.
    """
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 1366, height: int = 768):  # type: ignore[no-untyped-def]
    """A page in a fresh context: its own cookies, as another person's browser."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    return context.new_page()


@contextmanager
def chromium_page(width: int = 1366, height: int = 768) -> Iterator["object"]:
    """A fresh page in a fresh browser."""
    with chromium_browser() as browser:
        yield new_page(browser, width, height)
