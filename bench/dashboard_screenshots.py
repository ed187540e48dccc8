"""Screenshots of the supervisor dashboard at desktop and phone sizes into docs/screenshots/.

Needs a running ticketing service with demo data and demo accounts:
``.venvs/ticketing/bin/python -m bench.dashboard_screenshots --url http://127.0.0.1:8000``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.web_session import signed_in

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def shoot(url: str, path: str = "/supervise/", name: str = "dashboard") -> list[Path]:
    """Sign in as the demo supervisor, open the page, wait for the charts, save full-page PNGs."""
    cookies = signed_in(url).cookies
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for label, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                              device_scale_factor=1)
                context.add_cookies([{"name": c.name, "value": c.value or "", "url": url} for c in cookies])
                page = context.new_page()
                page.goto(url + path)
                page.wait_for_selector("html[data-charts]")
                page.wait_for_timeout(1200)  # ECharts' entry animation
                target = OUT / f"{name}-{label}-{width}x{height}.png"
                page.screenshot(path=str(target), full_page=True)
                page.screenshot(path=str(target.with_name(target.stem + "-fold.png")))
                written += [target, target.with_name(target.stem + "-fold.png")]
                context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.url):
        print(path)


if __name__ == "__main__":
    main()
